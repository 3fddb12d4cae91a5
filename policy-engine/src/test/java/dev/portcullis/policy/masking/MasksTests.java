package dev.portcullis.policy.masking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.policy.Detector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class MasksTests {

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            EMAIL       | jane.doe@example.com                   | j***@example.com
            EMAIL       | a@b.cd                                 | a***@b.cd
            CREDIT_CARD | 4242 4242 4242 4242                    | **** **** **** 4242
            CREDIT_CARD | 4242-4242-4242-4242                    | ****-****-****-4242
            CREDIT_CARD | 4242424242424242                       | ************4242
            CREDIT_CARD | 3782 822463 10005                      | **** ****** *0005
            PHONE       | +1 555-010-1234                        | +* ***-***-**34
            PHONE       | (555) 010-1234                         | (***) ***-**34
            PHONE       | +14155552671                           | +*********71
            PHONE       | 555.010.1234                           | ***.***.**34
            IBAN        | DE89 3704 0044 0532 0130 00            | DE** **** **** **** **30 00
            IBAN        | DE89370400440532013000                 | DE****************3000
            IBAN        | NO93 8601 1117 947                     | NO** **** ***7 947
            US_SSN      | 123-45-6789                            | ***-**-6789
            IP_ADDRESS  | 10.1.2.3                               | 10.*.*.*
            IP_ADDRESS  | 192.168.100.254                        | 192.*.*.*
            IP_ADDRESS  | 2001:db8::1                            | 2001:*::*
            IP_ADDRESS  | 2001:0db8:85a3:0000:0000:8a2e:0370:7334 | 2001:*:*:*:*:*:*:*
            IP_ADDRESS  | ::1                                    | ::*
            IP_ADDRESS  | ::ffff:192.0.2.128                     | ::*:*.*.*.*
            JWT         | eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.   | eyJ***.***.***
            JWT         | eyAiYWxnIjogIlJTMjU2In0.eyJ4IjoxfQ.c2ln | ***.***.***
            API_KEY     | AKIAIOSFODNN7EXAMPLE                   | AKIA***
            API_KEY     | ASIAY34FZKBOKMUTVV7A                   | ASIA***
            API_KEY     | ghp_16C7e42F292c6912E7710c838347Ae178B4a | ghp_***
            API_KEY     | github_pat_11ABCDEFG0123456789_abcdefghij | github_pat_***
            API_KEY     | xoxb-1234567890-AbCdEfGhIj             | xoxb-***
            API_KEY     | sk_live_4eC39HqLyjWDarjtT1zdp7dc       | sk_live_***
            API_KEY     | sk_test_4eC39HqLyjWDarjtT1zdp7dc       | sk_test_***
            API_KEY     | AIzaSyA-1234567890abcdefghijklmnopqrstu | AIza***
            API_KEY     | sk-ant-api03-Xy12Ab34Cd56Ef78Gh90Ij12Kl34Mn56 | sk-ant-***
            API_KEY     | sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z | sk-***
            API_KEY     | glpat-Ab1Cd2Ef3Gh4Ij5Kl6Mn             | glpat-***
            """)
    void maskWhenValueOfDetectorThenShapeKept(Detector detector, String value, String expected) {
        assertThat(Masks.mask(detector, value)).isEqualTo(expected);
    }

    @Test
    void maskWhenPrivateKeyThenBeginAndEndLinesKept() {
        String key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n4lgOEePzNm0tRge\n"
                + "-----END RSA PRIVATE KEY-----";

        assertThat(Masks.mask(Detector.PRIVATE_KEY, key))
                .isEqualTo("-----BEGIN RSA PRIVATE KEY-----\n***\n-----END RSA PRIVATE KEY-----");
    }

    @Test
    void maskWhenPrivateKeyWithCrLfOrEscapedBreaksThenSameBreaks() {
        String crLf = "-----BEGIN EC PRIVATE KEY-----\r\nMHcCAQEEIBkg4LVW\r\n-----END EC PRIVATE KEY-----";
        String escaped = "-----BEGIN PRIVATE KEY-----\\nMIGHAgEAMBMG\\n-----END PRIVATE KEY-----";

        assertThat(Masks.mask(Detector.PRIVATE_KEY, crLf))
                .isEqualTo("-----BEGIN EC PRIVATE KEY-----\r\n***\r\n-----END EC PRIVATE KEY-----");
        assertThat(Masks.mask(Detector.PRIVATE_KEY, escaped))
                .isEqualTo("-----BEGIN PRIVATE KEY-----\\n***\\n-----END PRIVATE KEY-----");
    }

    @Test
    void maskWhenPrivateKeyCutShortThenOnlyBeginLineKept() {
        assertThat(Masks.mask(Detector.PRIVATE_KEY, "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXkt"))
                .isEqualTo("-----BEGIN OPENSSH PRIVATE KEY-----\n***");
    }

    @Test
    void maskWhenPgpPrivateKeyBlockThenBlockLinesKept() {
        String key =
                "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQdGBF4sOf0BEADUx7mD\n-----END PGP PRIVATE KEY BLOCK-----";

        assertThat(Masks.mask(Detector.PRIVATE_KEY, key))
                .isEqualTo("-----BEGIN PGP PRIVATE KEY BLOCK-----\n***\n-----END PGP PRIVATE KEY BLOCK-----");
    }

    /** A mask never shows more of a value without the detector's shape than of a real finding: nothing at all. */
    @ParameterizedTest
    @EnumSource(Detector.class)
    void maskWhenValueHasNotTheShapeThenWhollyHidden(Detector detector) {
        assertThat(Masks.mask(detector, "top secret")).isEqualTo("***");
        assertThat(Masks.mask(detector, "")).isEqualTo("***");
    }

    @Test
    void maskWhenShortNumbersThenWhollyHiddenRatherThanShown() {
        // keeping the last four digits of a four-digit value would keep all of it
        assertThat(Masks.mask(Detector.CREDIT_CARD, "4242")).isEqualTo("***");
        assertThat(Masks.mask(Detector.PHONE, "12")).isEqualTo("***");
        assertThat(Masks.mask(Detector.IBAN, "DE89")).isEqualTo("***");
        assertThat(Masks.mask(Detector.US_SSN, "6789")).isEqualTo("***");
        assertThat(Masks.mask(Detector.IP_ADDRESS, "10")).isEqualTo("***");
        assertThat(Masks.mask(Detector.API_KEY, "AKIA")).isEqualTo("***");
    }

    @Test
    void maskWholeWhenAnyValueThenStars() {
        assertThat(Masks.maskWhole("Jane Doe")).isEqualTo("***");
        assertThat(Masks.maskWhole("4242 4242 4242 4242")).isEqualTo("***");
    }
}
