package dev.portcullis.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CanonicalJsonTests {

    @Test
    void writeWhenKeysInAnyOrderThenSortedWithoutWhitespace() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("b", 1);
        a.put("a", List.of(true, false));
        a.put("c", null);
        Map<String, Object> b = new TreeMap<>(java.util.Comparator.reverseOrder());
        b.putAll(a);

        assertThat(CanonicalJson.write(a)).isEqualTo("{\"a\":[true,false],\"b\":1,\"c\":null}");
        assertThat(CanonicalJson.write(b)).isEqualTo(CanonicalJson.write(a));
    }

    @Test
    void writeWhenSameNumberInDifferentTypesThenSameText() {
        assertThat(List.of(5, 5L, new BigInteger("5"), new BigDecimal("5.00"), 5.0d, new BigDecimal("5E+0")))
                .extracting(CanonicalJson::write)
                .containsOnly("5");
        assertThat(CanonicalJson.write(new BigDecimal("1.50"))).isEqualTo("1.5");
        assertThat(CanonicalJson.write(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(CanonicalJson.write(new BigDecimal("0.000"))).isEqualTo("0");
    }

    @Test
    void writeWhenStringHasQuotesAndControlsThenMinimalEscapes() {
        assertThat(CanonicalJson.write("a\"b\\c\n\t\u0001é€😀")).isEqualTo("\"a\\\"b\\\\c\\n\\t\\u0001é€😀\"");
    }

    @Test
    void writeWhenKeysDifferOnlyBeyondAsciiThenUtf16Order() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("é", 1);
        map.put("z", 2);
        map.put("Z", 3);
        assertThat(CanonicalJson.write(map)).isEqualTo("{\"Z\":3,\"z\":2,\"é\":1}");
    }

    @Test
    void writeWhenNotJsonThenRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> CanonicalJson.write(Double.NaN));
        assertThatIllegalArgumentException().isThrownBy(() -> CanonicalJson.write(new Object()));
        assertThatIllegalArgumentException().isThrownBy(() -> CanonicalJson.write(Map.of(1, 2)));
    }

    @Test
    void writeWhenArrayThenLikeList() {
        assertThat(CanonicalJson.write(new Object[] {"x", 1})).isEqualTo(CanonicalJson.write(Arrays.asList("x", 1)));
    }

    @Test
    void bytesWhenRandomTextThenTheUtf8OfTheTextForm() {
        // Characters a body can hold: ASCII, escapes, controls, Latin-1, CJK, emoji (surrogate pairs) and unpaired
        // surrogates, which UTF-8 encoding turns into '?' as String.getBytes does.
        char[] alphabet = "aZ09 \"\\/\n\r\t\b\f\u0001\u001f\u007f\u0080éß€中\uD83D\uDE00\uD800\uDFFF".toCharArray();
        java.util.Random random = new java.util.Random(42);
        for (int round = 0; round < 2_000; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            Map<String, Object> value = new LinkedHashMap<>();
            value.put(text.toString(), List.of(text.toString(), round));
            value.put("k" + round % 7, Map.of("nested", text.toString()));

            byte[] expected = reference(value).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(CanonicalJson.bytes(value)).as("round %d", round).isEqualTo(expected);
            assertThat(CanonicalJson.write(value).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo(expected);
            if (text.indexOf("\0") < 0) {
                EventChain.Payload encoded = EventChain.encode(value, false);
                assertThat(Arrays.copyOfRange(encoded.sink().array(), EventChain.HEAD_ROOM, encoded.end()))
                        .as("round %d, as a recorder encodes it", round)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void bytesWhenMapAlreadySortedThenSameAsUnsorted() {
        Map<String, Object> sorted = new TreeMap<>(Map.of("b", 1, "a", 2, "é", 3, "Z", 4));
        assertThat(CanonicalJson.bytes(sorted)).isEqualTo(CanonicalJson.bytes(new LinkedHashMap<>(sorted)));
        assertThat(new String(CanonicalJson.bytes(sorted), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"Z\":4,\"a\":2,\"b\":1,\"é\":3}");
    }

    @Test
    void bytesWhenMapsOfEverySizeInRandomOrderThenSameAsInKeyOrder() {
        java.util.Random random = new java.util.Random(42);
        String[] pieces = {"a", "b", "B", "é", "\uD83D\uDE00", "\uFF5E", "_", "1", ""};
        for (int round = 0; round < 500; round++) {
            // Small maps take the insertion sort, maps over 16 keys the merge sort.
            int size = random.nextInt(40);
            List<String> keys = new java.util.ArrayList<>();
            for (int i = 0; i < size; i++) {
                StringBuilder key = new StringBuilder();
                for (int j = random.nextInt(4); j >= 0; j--) {
                    key.append(pieces[random.nextInt(pieces.length)]);
                }
                keys.add(key.toString());
            }
            java.util.Collections.shuffle(keys, random);
            Map<String, Object> shuffled = new LinkedHashMap<>();
            keys.forEach(k -> shuffled.put(k, k.length()));

            assertThat(new String(CanonicalJson.bytes(shuffled), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo(reference(shuffled));
        }
    }

    /** The canonical text as a plain string-building encoder writes it, to check the UTF-8 writer against. */
    private static String reference(Object value) {
        if (value instanceof String s) {
            StringBuilder out = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
                }
            }
            return out.append('"').toString();
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            new TreeMap<>(map)
                    .forEach((k, v) -> out.append(out.length() > 1 ? "," : "")
                            .append(reference(k))
                            .append(':')
                            .append(reference(v)));
            return out.append('}').toString();
        }
        if (value instanceof List<?> list) {
            return "["
                    + String.join(
                            ",",
                            list.stream().map(CanonicalJsonTests::reference).toList()) + "]";
        }
        return String.valueOf(value);
    }

    @Test
    void bytesWhenEncodedAgainOnTheSameThreadThenEarlierResultsAreUntouched() {
        // Encoding reuses a per-thread buffer: what it returns must be a copy, never that buffer.
        byte[] large = CanonicalJson.bytes(Map.of("a", "x".repeat(10_000)));
        byte[] largeBefore = large.clone();
        String text = CanonicalJson.write(Map.of("b", "y"));
        byte[] small = CanonicalJson.bytes(Map.of("c", 1));

        assertThat(large).isEqualTo(largeBefore);
        assertThat(text).isEqualTo("{\"b\":\"y\"}");
        assertThat(new String(small, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("{\"c\":1}");
    }

    @Test
    void scratchWhenUsedThenEmptiedAndKeptUnlessItGrewPastTheLimit() {
        ThreadLocal<Utf8Sink> slot = new ThreadLocal<>();
        Utf8Sink first = Utf8Sink.scratch(slot).ascii("abc");
        Utf8Sink again = Utf8Sink.scratch(slot);

        assertThat(again).isSameAs(first);
        assertThat(again.length()).isZero();

        again.string("x".repeat(Utf8Sink.KEPT_CAPACITY), true);
        Utf8Sink afterHuge = Utf8Sink.scratch(slot);

        assertThat(afterHuge).isNotSameAs(first);
        assertThat(afterHuge.array().length).isLessThanOrEqualTo(Utf8Sink.KEPT_CAPACITY);
    }
}
