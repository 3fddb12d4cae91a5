package dev.portcullis.policy.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.portcullis.policy.Detector;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.EnumSource;

class DetectorsTests {

    private static final String CORPUS = "/masking/detectors.csv";

    private static final int MIN_CASES = 6;

    /**
     * One line of the corpus: the detector alone must find exactly the expected values ({@code |}-separated, empty
     * for a false positive that must not be found). {@code \n} in the file stands for a line break.
     */
    @ParameterizedTest(name = "{0}: {3}")
    @CsvFileSource(resources = CORPUS, numLinesToSkip = 1, maxCharsPerColumn = 4096)
    void findWhenCorpusLineThenExactlyTheExpectedValues(Detector detector, String text, String expected, String why) {
        String input = unescape(text);

        List<String> found = values(input, Detectors.find(input, Set.of(detector)));

        assertThat(found).as(why).containsExactlyElementsOf(expectedValues(expected));
    }

    /** With every detector running, a true positive is still found, by its own detector or a longer finding. */
    @ParameterizedTest(name = "{0}: {3}")
    @CsvFileSource(resources = CORPUS, numLinesToSkip = 1, maxCharsPerColumn = 4096)
    void findWhenAllDetectorsThenTruePositivesStillCovered(
            Detector detector, String text, String expected, String why) {
        String input = unescape(text);
        List<Finding> all = Detectors.find(input, EnumSet.allOf(Detector.class));

        for (Finding finding : Detectors.find(input, Set.of(detector))) {
            assertThat(all).as(why).anySatisfy(other -> {
                assertThat(other.start()).isLessThanOrEqualTo(finding.start());
                assertThat(other.end()).isGreaterThanOrEqualTo(finding.end());
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Detector.class)
    void corpusWhenReadThenEveryDetectorHasTruePositivesAndFalsePositives(Detector detector) throws IOException {
        Map<Boolean, Integer> counts = new HashMap<>();
        for (String[] line : corpusLines()) {
            if (Detector.valueOf(line[0]) == detector) {
                counts.merge(!line[2].isEmpty(), 1, Integer::sum);
            }
        }

        assertThat(counts.getOrDefault(true, 0)).as("true positives").isGreaterThanOrEqualTo(MIN_CASES);
        assertThat(counts.getOrDefault(false, 0)).as("false positives").isGreaterThanOrEqualTo(MIN_CASES);
    }

    @Test
    void findWhenLuhnInvalidThenNoCard() {
        assertThat(Detectors.find("4242424242424241", Set.of(Detector.CREDIT_CARD)))
                .isEmpty();
        assertThat(Detectors.find("4242424242424242", Set.of(Detector.CREDIT_CARD)))
                .containsExactly(new Finding(Detector.CREDIT_CARD, 0, 16));
    }

    @Test
    void findWhenIbanChecksumBadThenNoIban() {
        assertThat(Detectors.find("DE89 3704 0044 0532 0130 01", Set.of(Detector.IBAN)))
                .isEmpty();
    }

    @Test
    void findWhenSeveralDetectorsThenFindingsInTextOrder() {
        String text = "mail jane@example.com, card 4242 4242 4242 4242, host 10.0.0.1, ssn 123-45-6789";

        List<Finding> findings = Detectors.find(text, EnumSet.allOf(Detector.class));

        assertThat(findings)
                .extracting(Finding::detector)
                .containsExactly(Detector.EMAIL, Detector.CREDIT_CARD, Detector.IP_ADDRESS, Detector.US_SSN);
        assertThat(values(text, findings))
                .containsExactly("jane@example.com", "4242 4242 4242 4242", "10.0.0.1", "123-45-6789");
    }

    @Test
    void findWhenFindingsOverlapThenLongerWins() {
        // the IPv4 tail of a mapped IPv6 address is an address too, but the whole is longer
        String text = "::ffff:192.0.2.128";

        assertThat(Detectors.find(text, Set.of(Detector.IP_ADDRESS)))
                .containsExactly(new Finding(Detector.IP_ADDRESS, 0, text.length()));
    }

    @Test
    void findWhenOverlapOfEqualLengthThenEarlierDetectorWins() {
        // 15 digits in 4-6-5 groups: an American Express number and a valid national phone shape
        String text = "3782 822463 10005";

        assertThat(Detectors.find(text, Set.of(Detector.PHONE))).hasSize(1);
        assertThat(Detectors.find(text, EnumSet.of(Detector.PHONE, Detector.CREDIT_CARD)))
                .containsExactly(new Finding(Detector.CREDIT_CARD, 0, text.length()));
    }

    @Test
    void findWhenPrivateKeyHoldsOtherValuesThenOneFinding() {
        String text = "-----BEGIN PRIVATE KEY-----\nAKIAIOSFODNN7EXAMPLE\njane@example.com\n-----END PRIVATE KEY-----";

        assertThat(Detectors.find(text, EnumSet.allOf(Detector.class)))
                .containsExactly(new Finding(Detector.PRIVATE_KEY, 0, text.length()));
    }

    @Test
    void findWhenNoDetectorsOrShortTextThenNothing() {
        assertThat(Detectors.find("jane@example.com", Set.of())).isEmpty();
        assertThat(Detectors.find("", EnumSet.allOf(Detector.class))).isEmpty();
        assertThat(Detectors.find("42", EnumSet.allOf(Detector.class))).isEmpty();
    }

    @Test
    void findWhenCharSequenceIsNotAStringThenSameFindings() {
        StringBuilder text = new StringBuilder("reach me at jane@example.com");

        assertThat(Detectors.find(text, Set.of(Detector.EMAIL))).containsExactly(new Finding(Detector.EMAIL, 12, 28));
    }

    @Test
    void findingWhenSpanEmptyOrNegativeThenRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Finding(Detector.EMAIL, 3, 3));
        assertThatIllegalArgumentException().isThrownBy(() -> new Finding(Detector.EMAIL, -1, 3));
        assertThatNullPointerException().isThrownBy(() -> new Finding(null, 0, 3));
    }

    @Test
    void findingWhenSpansShareCharactersThenOverlap() {
        Finding finding = new Finding(Detector.EMAIL, 2, 5);

        assertThat(finding.overlaps(new Finding(Detector.PHONE, 4, 9))).isTrue();
        assertThat(finding.overlaps(new Finding(Detector.PHONE, 5, 9))).isFalse();
        assertThat(finding.overlaps(new Finding(Detector.PHONE, 0, 2))).isFalse();
        assertThat(finding.length()).isEqualTo(3);
    }

    @Test
    void findWhenNullThenRefused() {
        assertThatNullPointerException().isThrownBy(() -> Detectors.find(null, Set.of(Detector.EMAIL)));
        assertThatNullPointerException().isThrownBy(() -> Detectors.find("x", null));
    }

    /**
     * Shapes that make naive patterns backtrack catastrophically. A backtracking pattern takes hours on these inputs;
     * a linear one milliseconds. The preemptive timeout is a hang guard far above any normal run, not a performance
     * assertion (those live in {@code bench/}).
     */
    @ParameterizedTest
    @EnumSource(Detector.class)
    void findWhenPathologicalInputThenLinearTime(Detector detector) {
        List<String> inputs = List.of(
                "a".repeat(200_000) + "@",
                "a.".repeat(100_000) + "@x",
                "jane@" + "a.".repeat(100_000),
                "1".repeat(200_000),
                "1 ".repeat(100_000),
                "1-".repeat(100_000),
                "1.".repeat(100_000),
                "(1) ".repeat(50_000),
                ":1".repeat(100_000),
                "eyJ".repeat(60_000) + ".",
                "eyJhbGciOiJIUzI1NiJ9.".repeat(10_000),
                "AKIA".repeat(50_000),
                "sk-".repeat(60_000),
                "DE89 ".repeat(40_000),
                "-----BEGIN PRIVATE KEY-----".repeat(5_000));
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            for (String input : inputs) {
                assertThat(Detectors.find(input, Set.of(detector)))
                        .allSatisfy(f -> assertThat(f.detector()).isEqualTo(detector));
            }
        });
    }

    @Test
    void findWhenLargeTextWithoutValuesThenFast() {
        String text = "The quick brown fox jumps over the lazy dog, 42 times at 10:30 on 2024-01-15. ".repeat(20_000);
        List<Finding> findings =
                assertTimeoutPreemptively(HANG_GUARD, () -> Detectors.find(text, EnumSet.allOf(Detector.class)));

        assertThat(findings).isEmpty();
    }

    private static final java.time.Duration HANG_GUARD = java.time.Duration.ofSeconds(120);

    /**
     * {@link Detectors#wholeMatch} against what it shortcuts: a full {@link Detectors#scan} with every detector that
     * returns one finding spanning the value. Over every corpus text and expected value, pieces of them, and random
     * joins of two, with separators that may or may not make one value of them.
     */
    @Test
    void wholeMatchWhenCorpusValuesAndJoinsThenSameAsAFullScan() throws IOException {
        List<String> samples = new ArrayList<>();
        try (InputStream in = DetectorsTests.class.getResourceAsStream(CORPUS)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#") || line.startsWith("detector,")) {
                    continue;
                }
                for (String field : line.split(",")) {
                    String value = unescape(field.replace("\"", ""));
                    samples.add(value);
                    samples.addAll(Arrays.asList(value.split("\\|")));
                }
            }
        }
        java.util.Random random = new java.util.Random(42);
        String[] separators = {"", " ", "-", "@", ".", ":", "/", "\n"};
        int size = samples.size();
        for (int i = 0; i < 4000; i++) {
            String a = samples.get(random.nextInt(size));
            String b = samples.get(random.nextInt(size));
            samples.add(a + separators[random.nextInt(separators.length)] + b);
            if (a.length() > 2) {
                int from = random.nextInt(a.length() / 2);
                samples.add(a.substring(from, from + 1 + random.nextInt(a.length() - from - 1)));
            }
        }
        Map<Detector, Integer> shaped = new HashMap<>();
        for (String value : samples) {
            List<Finding> findings = Detectors.scan(value, Detectors.all());
            Detector expected = findings.size() == 1
                            && findings.get(0).start() == 0
                            && findings.get(0).end() == value.length()
                    ? findings.get(0).detector()
                    : null;

            assertThat(Detectors.wholeMatch(value)).as(value).isEqualTo(expected);
            if (expected != null) {
                shaped.merge(expected, 1, Integer::sum);
            }
        }
        // The comparison covered values of every kind, not only misses.
        assertThat(shaped.keySet())
                .containsAll(EnumSet.of(
                        Detector.EMAIL,
                        Detector.CREDIT_CARD,
                        Detector.PHONE,
                        Detector.IBAN,
                        Detector.US_SSN,
                        Detector.IP_ADDRESS,
                        Detector.JWT));
    }

    static String unescape(String text) {
        return text == null ? "" : text.replace("\\n", "\n");
    }

    private static List<String> expectedValues(String expected) {
        if (expected == null || expected.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(expected.split("\\|"))
                .map(DetectorsTests::unescape)
                .toList();
    }

    private static List<String> values(String text, List<Finding> findings) {
        return findings.stream().map(f -> text.substring(f.start(), f.end())).toList();
    }

    /** The corpus as detector, text, expected: a plain split is enough for the counting test. */
    private static List<String[]> corpusLines() throws IOException {
        try (InputStream in = DetectorsTests.class.getResourceAsStream(CORPUS)) {
            String content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return content.lines()
                    .skip(1)
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(DetectorsTests::splitCsv)
                    .toList();
        }
    }

    private static String[] splitCsv(String line) {
        String[] fields = new String[4];
        Arrays.fill(fields, "");
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int index = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == ',' && !quoted && index < 3) {
                fields[index++] = field.toString();
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields[index] = field.toString();
        return fields;
    }
}
