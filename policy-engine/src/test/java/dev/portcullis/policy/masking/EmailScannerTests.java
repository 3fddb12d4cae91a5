package dev.portcullis.policy.masking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.policy.Detector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailScannerTests {

    /**
     * The specification as a regular expression: what the scanner replaced, and what it must still agree with
     * everywhere. Atoms and labels are bounded as the scanner bounds them.
     */
    private static final Pattern REFERENCE = Pattern.compile("(?<![A-Za-z0-9_%+.-])"
            + "[A-Za-z0-9_%+-]++(?:\\.[A-Za-z0-9_%+-]++){0,31}+"
            + "@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.){1,16}[A-Za-z]{2,63}"
            + "(?![A-Za-z0-9-]|\\.[A-Za-z0-9])");

    private static final Scanner REFERENCE_SCANNER = new PatternScanner(
            Detector.EMAIL,
            REFERENCE,
            p -> true,
            (text, i) -> EmailScanner.isLocalPartChar(text.charAt(i)),
            PatternScanner.Check.whole(Validators::email));

    /** Pieces that make addresses, near misses and their boundaries, weighted toward the interesting ones. */
    private static final String[] PIECES = {
        "a",
        "b",
        "Z",
        "x9",
        "0",
        "ab",
        "jane",
        "doe",
        "mail",
        "example",
        "com",
        "io",
        "org",
        "co",
        "uk",
        "c0m",
        "-",
        "_",
        "%",
        "+",
        ".",
        ".",
        ".",
        "..",
        "@",
        "@",
        "@",
        "@@",
        " ",
        ",",
        "<",
        ">",
        "\"",
        "=",
        "/",
        ":",
        "é",
        "ß",
        "1",
        "42",
        "192.168.1.1",
        "a-b",
        "-x",
        "x-",
        ".-",
        "\n",
        "xn--p1ai",
        "MUSEUM"
    };

    @ParameterizedTest
    @ValueSource(
            strings = {
                "jane.doe@example.com",
                "Contact j.smith+billing@mail.example.co.uk.",
                "a@b.cd, C.D@E.FG",
                "user@localhost",
                "jane@example.c0m",
                "jane..doe@example.com",
                "x@-bad.com",
                "a@example.com.x",
                "a@example.com-",
                "a@example.com.-x",
                "a@b@c.com",
                "éa@example.com",
                "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a.b.c.d.e.f@example.com",
                "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a.b.c.d.e.f.g@example.com",
                "a@b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.com",
                "a@b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.com"
            })
    void scanWhenEdgeCaseThenSameAsTheReferencePattern(String text) {
        assertThat(scan(new EmailScanner(), text)).isEqualTo(scan(REFERENCE_SCANNER, text));
    }

    @Test
    void scanWhenLabelOrTopLevelDomainAtItsLengthLimitThenSameAsTheReferencePattern() {
        for (int length : new int[] {1, 2, 62, 63, 64}) {
            String label = "a".repeat(length);
            for (String text : List.of(
                    "x@" + label + ".com",
                    "x@ex." + label,
                    "x@" + label + "-" + label + ".com",
                    "y" + label + "@a.bc")) {
                assertThat(scan(new EmailScanner(), text)).as(text).isEqualTo(scan(REFERENCE_SCANNER, text));
            }
        }
    }

    @Test
    void scanWhenRandomTextThenSameFindingsAsTheReferencePattern() {
        Random random = new Random(20261126);
        int found = 0;
        for (int round = 0; round < 20_000; round++) {
            StringBuilder text = new StringBuilder();
            int pieces = 1 + random.nextInt(8);
            for (int p = 0; p < pieces; p++) {
                if (random.nextInt(3) == 0) {
                    text.append(address(random));
                } else {
                    text.append(PIECES[random.nextInt(PIECES.length)]);
                }
            }
            String input = text.toString();

            List<Finding> expected = scan(REFERENCE_SCANNER, input);

            assertThat(scan(new EmailScanner(), input)).as(input).isEqualTo(expected);
            found += expected.size();
        }
        // the generator must reach addresses, not only near misses
        assertThat(found).isGreaterThan(1_000);
    }

    /** Something shaped like an address, often one, sometimes bent at the edges the pattern cares about. */
    private static String address(Random random) {
        StringBuilder text = new StringBuilder();
        int atoms = 1 + random.nextInt(random.nextInt(10) == 0 ? 36 : 3);
        for (int a = 0; a < atoms; a++) {
            if (a > 0) {
                text.append('.');
            }
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        text.append('@');
        int labels = 1 + random.nextInt(random.nextInt(10) == 0 ? 19 : 3);
        for (int l = 0; l < labels; l++) {
            text.append(random.nextInt(4) == 0 ? PIECES[random.nextInt(PIECES.length)] : "ex" + l)
                    .append('.');
        }
        String[] tlds = {"com", "io", "c", "c0m", "museum", "x-y", "", "q".repeat(63), "q".repeat(64)};
        return text.append(tlds[random.nextInt(tlds.length)]).toString();
    }

    private static List<Finding> scan(Scanner scanner, String text) {
        List<Finding> out = new ArrayList<>();
        scanner.scan(text, out);
        return out;
    }
}
