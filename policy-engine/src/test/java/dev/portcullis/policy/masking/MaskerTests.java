package dev.portcullis.policy.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.portcullis.policy.Detector;
import dev.portcullis.policy.MaskingRule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaskerTests {

    /** The masking of the demo policy: field names and detectors, as two rules that add up. */
    static final Masker DEMO = Masker.of(List.of(
            new MaskingRule(List.of("email", "phone", "card_number"), List.of()),
            new MaskingRule(List.of(), List.of(Detector.EMAIL, Detector.CREDIT_CARD, Detector.PHONE))));

    @Test
    void ofWhenNoRulesThenNoop() {
        Masker masker = Masker.of(List.of());
        String text = "jane@example.com";

        assertThat(masker.isNoop()).isTrue();
        assertThat(masker.detectors()).isEmpty();
        assertThat(masker.fieldMatches("email")).isFalse();
        assertThat(masker.maskText(text)).isSameAs(text);
        assertThat(masker.maskField("email", text)).isSameAs(text);
    }

    @Test
    void ofWhenRulesThenNotNoopAndDetectorsAddUp() {
        Masker masker = Masker.of(List.of(
                new MaskingRule(List.of(), List.of(Detector.PHONE, Detector.EMAIL)),
                new MaskingRule(List.of(), List.of(Detector.EMAIL, Detector.JWT))));

        assertThat(masker.isNoop()).isFalse();
        assertThat(masker.detectors()).containsExactly(Detector.EMAIL, Detector.PHONE, Detector.JWT);
        assertThat(Masker.of(List.of(new MaskingRule(List.of("email"), List.of())))
                        .isNoop())
                .isFalse();
    }

    @ParameterizedTest(name = "rule {0}, field {1}: {2}")
    @CsvSource({
        // names match the last segment at any depth, without regard to case
        "email, email, true",
        "email, EMAIL, true",
        "email, Email, true",
        "email, customer.email, true",
        "email, customers[3].email, true",
        "email, emails, false",
        "email, e_mail, false",
        // globs
        "*_token, access_token, true",
        "*_token, Refresh_TOKEN, true",
        "*_token, token, false",
        "*_token, session.id_token, true",
        "card*, card_number, true",
        "card*, card, true",
        "card*, discard, false",
        "?, a, true",
        "?, ab, false",
        "*secret*, clientSecretValue, true",
        // a field under a matching field is masked too
        "address, address.street, true",
        "address, customer.address.geo.lat, true",
        "address, street, false",
        // paths match from the top
        "customer.email, customer.email, true",
        "customer.email, CUSTOMER.Email, true",
        "customer.email, email, false",
        "customer.email, order.customer.email, false",
        "customer.email, customer.email.primary, true",
        "customer.email, customer, false",
        "items[*].card_number, items[0].card_number, true",
        "items[*].card_number, items[17].card_number, true",
        "items[*].card_number, items[*].card_number, true",
        "items[*].card_number, items.card_number, false",
        "items[*].card_number, card_number, false",
        "items[0].card_number, items[5].card_number, true",
        "[*].email, [2].email, true",
        "[*].email, email, false",
        "*.email, customer.email, true",
        "*.email, email, false",
        "orders[*], orders[3].total, true",
    })
    void fieldMatchesWhenRuleThenExpected(String rule, String field, boolean expected) {
        Masker masker = Masker.of(List.of(new MaskingRule(List.of(rule), List.of())));

        assertThat(masker.fieldMatches(field)).isEqualTo(expected);
    }

    @Test
    void maskTextWhenValuesThenEachReplacedByItsMask() {
        String text = "Jane (jane.doe@example.com, +1 555-010-1234) paid with 4242 4242 4242 4242 on 2024-01-15.";

        assertThat(DEMO.maskText(text))
                .isEqualTo("Jane (j***@example.com, +* ***-***-**34) paid with **** **** **** 4242 on 2024-01-15.");
    }

    @Test
    void maskTextWhenNothingFoundThenSameInstance() {
        String text = "order 42 shipped on 2024-01-15 at 10:30, total 1,234.56";

        assertThat(DEMO.maskText(text)).isSameAs(text);
    }

    @Test
    void maskTextWhenDetectorNotConfiguredThenValueStays() {
        String text = "from 10.0.0.1 with AKIAIOSFODNN7EXAMPLE";

        assertThat(DEMO.maskText(text)).isSameAs(text);
    }

    @Test
    void maskFieldWhenFieldHitAndWholeValueIsOneFindingThenShapeKept() {
        assertThat(DEMO.maskField("email", "jane.doe@example.com")).isEqualTo("j***@example.com");
        assertThat(DEMO.maskField("card_number", "4242424242424242")).isEqualTo("************4242");
        assertThat(DEMO.maskField("phone", "(555) 010-1234")).isEqualTo("(***) ***-**34");
    }

    @Test
    void maskFieldWhenFieldHitAndValueRecognizedByAnotherDetectorThenThatShape() {
        Masker masker = Masker.of(List.of(new MaskingRule(List.of("*_key"), List.of())));

        assertThat(masker.maskField("aws_key", "AKIAIOSFODNN7EXAMPLE")).isEqualTo("AKIA***");
    }

    @Test
    void maskFieldWhenFieldHitAndValueNotOneFindingThenWhollyHidden() {
        assertThat(DEMO.maskField("email", "Jane Doe <jane@example.com>")).isEqualTo("***");
        assertThat(DEMO.maskField("card_number", "4242424242424241")).isEqualTo("***");
        assertThat(DEMO.maskField("phone", "ask the front desk")).isEqualTo("***");
        assertThat(DEMO.maskField("customers.card_number", " 4242424242424242 "))
                .isEqualTo("***");
    }

    @Test
    void maskFieldWhenFieldMissesThenDetectorsApply() {
        assertThat(DEMO.maskField("notes", "mail jane@example.com")).isEqualTo("mail j***@example.com");
        String plain = "no contact details";
        assertThat(DEMO.maskField("notes", plain)).isSameAs(plain);
    }

    @Test
    void maskFieldWhenNullOrEmptyThenUnchanged() {
        assertThat(DEMO.maskField("email", null)).isNull();
        assertThat(DEMO.maskField("email", "")).isEmpty();
    }

    @Test
    void maskTextStreamWhenValuesThenMaskedAndCounted() {
        String body = "Call +1 555-010-1234 or mail jane@example.com\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        MaskResult result = DEMO.maskText(
                new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), out, 1024, StandardCharsets.UTF_8);

        String masked = out.toString(StandardCharsets.UTF_8);
        assertThat(masked).isEqualTo("Call +* ***-***-**34 or mail j***@example.com\n");
        assertThat(result).isEqualTo(new MaskResult(body.length(), masked.length(), 2));
    }

    @Test
    void maskTextStreamWhenNothingFoundThenBytesPassUnchanged() {
        // not valid UTF-8: a decode and re-encode would replace it, so untouched bodies are copied as bytes
        byte[] body = {'o', 'k', ' ', (byte) 0xC3, (byte) 0x28, ' ', (byte) 0xFF};
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        MaskResult result = DEMO.maskText(new ByteArrayInputStream(body), out, body.length, StandardCharsets.UTF_8);

        assertThat(out.toByteArray()).isEqualTo(body);
        assertThat(result).isEqualTo(new MaskResult(body.length, body.length, 0));
    }

    @Test
    void maskTextStreamWhenOtherCharsetThenSameCharsetOut() {
        String body = "Müller: jane@example.com";
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        DEMO.maskText(
                new ByteArrayInputStream(body.getBytes(StandardCharsets.ISO_8859_1)),
                out,
                1024,
                StandardCharsets.ISO_8859_1);

        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("Müller: j***@example.com");
    }

    @Test
    void maskTextStreamWhenOverLimitThenBodyTooLargeAndNothingWritten() {
        byte[] body = "x".repeat(101).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThatExceptionOfType(BodyTooLargeException.class)
                .isThrownBy(() -> DEMO.maskText(new ByteArrayInputStream(body), out, 100, StandardCharsets.UTF_8))
                .satisfies(e -> assertThat(e.limit()).isEqualTo(100));
        assertThat(out.size()).isZero();
    }

    @Test
    void maskTextStreamWhenExactlyAtLimitThenAccepted() {
        byte[] body = "x".repeat(100).getBytes(StandardCharsets.UTF_8);

        MaskResult result =
                DEMO.maskText(new ByteArrayInputStream(body), new ByteArrayOutputStream(), 100, StandardCharsets.UTF_8);

        assertThat(result.bytesIn()).isEqualTo(100);
    }

    @Test
    void maskTextStreamWhenLimitNegativeOrTooLargeThenRefused() {
        InputStream in = new ByteArrayInputStream(new byte[0]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThatIllegalArgumentException().isThrownBy(() -> DEMO.maskText(in, out, -1, StandardCharsets.UTF_8));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DEMO.maskText(in, out, Long.MAX_VALUE, StandardCharsets.UTF_8));
    }

    @Test
    void toStringWhenRulesThenRulesOnly() {
        assertThat(DEMO.toString())
                .isEqualTo("Masker[fields=[email, phone, card_number], detectors=[EMAIL, CREDIT_CARD, PHONE]]");
    }
}
