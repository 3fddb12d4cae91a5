package dev.portcullis.policy.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.portcullis.policy.Detector;
import dev.portcullis.policy.MaskingRule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

class MaskerJsonTests {

    private static final long LIMIT = 1 << 20;

    @Test
    void maskJsonWhenDemoCustomersThenFieldsAndDetectedValuesMasked() throws IOException {
        String input = resource("customers.json");

        Masked masked = mask(MaskerTests.DEMO, input);

        assertThat(JsonTokens.of(masked.json()))
                .containsExactlyElementsOf(JsonTokens.of(resource("customers.masked.json")));
        assertThat(masked.result().valuesMasked()).isEqualTo(10);
        assertThat(masked.result().bytesIn()).isEqualTo(input.getBytes(StandardCharsets.UTF_8).length);
        assertThat(masked.result().bytesOut()).isEqualTo(masked.json().getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void maskJsonWhenMaskedThenSameStructureAndFieldNames() throws IOException {
        String input = resource("customers.json");

        String output = mask(MaskerTests.DEMO, input).json();

        assertThat(JsonTokens.structure(output)).containsExactlyElementsOf(JsonTokens.structure(input));
    }

    @Test
    void maskJsonWhenFieldNameLooksSensitiveThenNameUnchanged() {
        Masker masker = masker(List.of("email"), List.of(Detector.EMAIL));

        String output = mask(masker, "{\"jane@example.com\":{\"email\":\"x\"},\"Email\":\"y\"}")
                .json();

        assertThat(output).isEqualTo("{\"jane@example.com\":{\"email\":\"***\"},\"Email\":\"***\"}");
    }

    @Test
    void maskJsonWhenNumbersAndBooleansUnderMaskedFieldThenStarsAsStrings() {
        Masker masker = masker(List.of("secret*"), List.of());

        String output = mask(
                        masker,
                        "{\"secret_pin\":1234,\"secretRate\":-1.5e3,\"secret_flag\":true,"
                                + "\"secret_none\":null,\"public\":1234}")
                .json();

        assertThat(output)
                .isEqualTo("{\"secret_pin\":\"***\",\"secretRate\":\"***\",\"secret_flag\":\"***\","
                        + "\"secret_none\":null,\"public\":1234}");
    }

    @Test
    void maskJsonWhenFieldHoldsObjectOrArrayThenEverythingBelowMasked() {
        Masker masker = masker(List.of("address"), List.of());

        String output = mask(
                        masker,
                        "{\"address\":{\"street\":\"Main St 1\",\"zip\":12345,\"geo\":[1.5,2.5]},"
                                + "\"name\":\"Jane\",\"address2\":\"kept\"}")
                .json();

        assertThat(output)
                .isEqualTo("{\"address\":{\"street\":\"***\",\"zip\":\"***\",\"geo\":[\"***\",\"***\"]},"
                        + "\"name\":\"Jane\",\"address2\":\"kept\"}");
    }

    @Test
    void maskJsonWhenArrayOfValuesUnderFieldThenEachMasked() {
        String output =
                mask(MaskerTests.DEMO, "{\"email\":[\"a@b.cd\",\"nobody\"]}").json();

        assertThat(output).isEqualTo("{\"email\":[\"a***@b.cd\",\"***\"]}");
    }

    @Test
    void maskJsonWhenPathRuleThenOnlyThatPathMasked() {
        Masker masker = masker(List.of("customer.email"), List.of());

        String output = mask(
                        masker,
                        "{\"customer\":{\"email\":\"a@b.cd\",\"name\":\"Al\"},"
                                + "\"other\":{\"customer\":{\"email\":\"x@y.zz\"}},\"email\":\"top@level.io\"}")
                .json();

        assertThat(output)
                .isEqualTo("{\"customer\":{\"email\":\"a***@b.cd\",\"name\":\"Al\"},"
                        + "\"other\":{\"customer\":{\"email\":\"x@y.zz\"}},\"email\":\"top@level.io\"}");
    }

    @Test
    void maskJsonWhenArrayPathRuleThenEveryElementMasked() {
        Masker masker = masker(List.of("items[*].card_number"), List.of());

        String output = mask(
                        masker,
                        "{\"items\":[{\"card_number\":\"4242424242424242\"},{\"card_number\":\"n/a\"},"
                                + "{\"other\":1}],\"card_number\":\"kept\"}")
                .json();

        assertThat(output)
                .isEqualTo("{\"items\":[{\"card_number\":\"************4242\"},{\"card_number\":\"***\"},"
                        + "{\"other\":1}],\"card_number\":\"kept\"}");
    }

    @Test
    void maskJsonWhenTopLevelArrayPathRuleThenElementsMasked() {
        Masker masker = masker(List.of("[*].email"), List.of());

        String output = mask(masker, "[{\"email\":\"a@b.cd\"},{\"email\":\"c@d.ef\",\"x\":{\"email\":\"kept\"}}]")
                .json();

        assertThat(output)
                .isEqualTo("[{\"email\":\"a***@b.cd\"},{\"email\":\"c***@d.ef\",\"x\":{\"email\":\"kept\"}}]");
    }

    @Test
    void maskJsonWhenArrayElementsRuleThenWholeElementsMasked() {
        Masker masker = masker(List.of("tokens[*]"), List.of());

        String output =
                mask(masker, "{\"tokens\":[\"a\",[\"b\"],{\"c\":1}],\"n\":[1]}").json();

        assertThat(output).isEqualTo("{\"tokens\":[\"***\",[\"***\"],{\"c\":\"***\"}],\"n\":[1]}");
    }

    @Test
    void maskJsonWhenGlobRulesThenCaseInsensitiveAtAnyDepth() {
        Masker masker = masker(List.of("*_token", "?"), List.of());

        String output = mask(
                        masker,
                        "{\"a\":\"x\",\"ab\":\"y\",\"session\":{\"ACCESS_TOKEN\":\"t1\","
                                + "\"refresh_Token\":\"t2\",\"token\":\"t3\"}}")
                .json();

        assertThat(output)
                .isEqualTo("{\"a\":\"***\",\"ab\":\"y\",\"session\":{\"ACCESS_TOKEN\":\"***\","
                        + "\"refresh_Token\":\"***\",\"token\":\"t3\"}}");
    }

    @Test
    void maskJsonWhenCardNumberIsAJsonNumberThenMaskedAsString() {
        String output = mask(MaskerTests.DEMO, "{\"n\":4242424242424242,\"m\":4242424242424241,\"id\":1234567890123}")
                .json();

        assertThat(output).isEqualTo("{\"n\":\"************4242\",\"m\":4242424242424241,\"id\":1234567890123}");
    }

    @Test
    void maskJsonWhenNumbersNotMaskedThenTextKeptExactly() {
        String input = "{\"big\":123456789012345678901234567890,\"f\":1.50e3,\"neg\":-0.0,\"small\":1E-7,\"i\":0}";

        assertThat(mask(MaskerTests.DEMO, input).json()).isEqualTo(input);
    }

    @Test
    void maskJsonWhenUnicodeAndEscapesThenSurviveUnchanged() {
        String input =
                "{\"s\":\"line\\nbreak \\\"q\\\" back\\\\slash \\u0000 tab\\t \\u2028 é 😀 \\ud83d\\ude00 </x>\"}";

        String output = mask(MaskerTests.DEMO, input).json();

        assertThat(JsonTokens.of(output)).containsExactlyElementsOf(JsonTokens.of(input));
        assertThat(output).contains("é 😀 😀 </x>");
    }

    @Test
    void maskJsonWhenTopLevelScalarThenMasked() {
        assertThat(mask(MaskerTests.DEMO, "\"mail jane@example.com\"").json()).isEqualTo("\"mail j***@example.com\"");
        assertThat(mask(MaskerTests.DEMO, " 42 ").json()).isEqualTo("42");
        assertThat(mask(MaskerTests.DEMO, "null").json()).isEqualTo("null");
    }

    @Test
    void maskJsonWhenEmptyBodyThenNothingWritten() {
        Masked masked = mask(MaskerTests.DEMO, " \n ");

        assertThat(masked.json()).isEmpty();
        assertThat(masked.result()).isEqualTo(new MaskResult(3, 0, 0));
    }

    @Test
    void maskJsonWhenNoopMaskerThenCopiedCompactly() {
        Masked masked = mask(Masker.of(List.of()), "{ \"email\" : \"jane@example.com\" ,\n \"n\": [1, 2] }");

        assertThat(masked.json()).isEqualTo("{\"email\":\"jane@example.com\",\"n\":[1,2]}");
        assertThat(masked.result().valuesMasked()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = "/masking/malformed.csv", numLinesToSkip = 1, ignoreLeadingAndTrailingWhitespace = false)
    void maskJsonWhenMalformedThenMalformedBodyException(String name, String body) {
        assertThatExceptionOfType(MalformedBodyException.class)
                .isThrownBy(() -> mask(MaskerTests.DEMO, body))
                .satisfies(e -> assertThat(e).isInstanceOf(MaskingException.class));
    }

    @Test
    void maskJsonWhenMalformedThenMessageNamesPlaceButNotContent() {
        assertThatExceptionOfType(MalformedBodyException.class)
                .isThrownBy(() -> mask(MaskerTests.DEMO, "{\"a\":supersecretvalue}"))
                .satisfies(e -> {
                    assertThat(e.byteOffset()).isEqualTo(5);
                    assertThat(e.getMessage()).isEqualTo("malformed JSON body at byte 5: not valid JSON");
                    assertThat(e.getCause()).isNull();
                });
    }

    @Test
    void maskJsonWhenNestedTooDeepThenMalformed() {
        String body = "[".repeat(1_000) + "]".repeat(1_000);

        assertThatExceptionOfType(MalformedBodyException.class)
                .isThrownBy(() -> mask(MaskerTests.DEMO, body))
                .withMessageContaining("nesting depth");
    }

    @Test
    void maskJsonWhenDeepButAllowedNestingThenPathsStillTracked() {
        Masker masker = masker(List.of("email"), List.of());
        String body = "{\"a\":".repeat(200) + "{\"email\":\"x@y.zz\",\"a\":\"kept\"}" + "}".repeat(200);

        assertThat(mask(masker, body).json()).contains("{\"email\":\"x***@y.zz\",\"a\":\"kept\"}");
    }

    @Test
    void maskJsonWhenOverLimitThenBodyTooLargeWithLimit() {
        String body = "{\"notes\":\"" + "x".repeat(200) + "\"}";

        assertThatExceptionOfType(BodyTooLargeException.class)
                .isThrownBy(() -> MaskerTests.DEMO.maskJson(
                        new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)),
                        new ByteArrayOutputStream(),
                        100))
                .satisfies(e -> {
                    assertThat(e.limit()).isEqualTo(100);
                    assertThat(e).isInstanceOf(MaskingException.class);
                });
    }

    @Test
    void maskJsonWhenExactlyAtLimitThenAccepted() {
        byte[] body = "{\"a\":\"b\"}".getBytes(StandardCharsets.UTF_8);

        MaskResult result =
                MaskerTests.DEMO.maskJson(new ByteArrayInputStream(body), new ByteArrayOutputStream(), body.length);

        assertThat(result.bytesIn()).isEqualTo(body.length);
    }

    @Test
    void maskJsonWhenEndlessBodyThenFailsAfterReadingAtMostOneBytePastLimit() {
        EndlessArray endless = new EndlessArray();

        assertThatExceptionOfType(BodyTooLargeException.class)
                .isThrownBy(() -> MaskerTests.DEMO.maskJson(endless, new ByteArrayOutputStream(), 10_000));
        assertThat(endless.served).isEqualTo(10_001);
    }

    @Test
    void maskJsonWhenInputFailsThenUncheckedIoException() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                throw new IOException("connection reset");
            }
        };

        assertThatExceptionOfType(UncheckedIOException.class)
                .isThrownBy(() -> MaskerTests.DEMO.maskJson(failing, new ByteArrayOutputStream(), LIMIT))
                .withMessageContaining("connection reset");
    }

    @Test
    void maskJsonWhenLimitNegativeThenRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> MaskerTests.DEMO.maskJson(
                        new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), -1));
    }

    @Test
    void maskJsonWhenSharedAcrossThreadsThenSameResults() throws Exception {
        String input = resource("customers.json");
        String expected = mask(MaskerTests.DEMO, input).json();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                results.add(pool.submit(() -> mask(MaskerTests.DEMO, input).json()));
            }
            for (Future<String> result : results) {
                assertThat(result.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void maskJsonWhenLargeArrayThenStreamsThrough() {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 20_000; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"id\":")
                    .append(i)
                    .append(",\"email\":\"user")
                    .append(i)
                    .append("@example.com\",\"notes\":\"nothing to see here\"}");
        }
        body.append(']');

        Masked masked = mask(MaskerTests.DEMO, body.toString(), 8 * LIMIT);

        assertThat(masked.result().valuesMasked()).isEqualTo(20_000);
        assertThat(masked.json())
                .contains("{\"id\":19999,\"email\":\"u***@example.com\",\"notes\":\"nothing to see here\"}");
    }

    private static Masker masker(List<String> fields, List<Detector> detectors) {
        return Masker.of(List.of(new MaskingRule(fields, detectors)));
    }

    private static Masked mask(Masker masker, String json) {
        return mask(masker, json, LIMIT);
    }

    private static Masked mask(Masker masker, String json, long limit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MaskResult result =
                masker.maskJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), out, limit);
        return new Masked(out.toString(StandardCharsets.UTF_8), result);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = MaskerJsonTests.class.getResourceAsStream("/masking/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private record Masked(String json, MaskResult result) {}

    /** {@code [1,1,1,…} forever, counting what it served. */
    private static final class EndlessArray extends InputStream {

        long served;

        @Override
        public int read() {
            return served++ == 0 ? '[' : (served % 2 == 0 ? '1' : ',');
        }

        @Override
        public int read(byte[] b, int off, int len) {
            for (int i = 0; i < len; i++) {
                b[off + i] = (byte) read();
            }
            return len;
        }
    }
}
