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
}
