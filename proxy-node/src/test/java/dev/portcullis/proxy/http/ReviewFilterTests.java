package dev.portcullis.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReviewFilterTests {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void commandHashWhenSameRequestThenSame() {
        assertThat(ReviewFilter.commandHash("DELETE", "/customers/7", utf8("{}"), "demo-api"))
                .isEqualTo(ReviewFilter.commandHash("DELETE", "/customers/7", utf8("{}"), "demo-api"))
                .hasSize(64);
    }

    @Test
    void commandHashWhenAnyPartDiffersThenDifferent() {
        String base = ReviewFilter.commandHash("DELETE", "/customers/7", utf8("{}"), "demo-api");
        assertThat(List.of(
                        ReviewFilter.commandHash("POST", "/customers/7", utf8("{}"), "demo-api"),
                        ReviewFilter.commandHash("DELETE", "/customers/8", utf8("{}"), "demo-api"),
                        ReviewFilter.commandHash("DELETE", "/customers/7?force=true", utf8("{}"), "demo-api"),
                        ReviewFilter.commandHash("DELETE", "/customers/7", utf8("{ }"), "demo-api"),
                        ReviewFilter.commandHash("DELETE", "/customers/7", new byte[0], "demo-api"),
                        ReviewFilter.commandHash("DELETE", "/customers/7", utf8("{}"), "other-api")))
                .doesNotContain(base)
                .doesNotHaveDuplicates();
    }

    @Test
    void commandHashWhenPartsShiftAcrossTheSeparatorThenDifferent() {
        // The separator keeps "/a" + "b\nc" apart from "/a\nb" + "c".
        assertThat(ReviewFilter.commandHash("GET", "/a", new byte[0], "b"))
                .isNotEqualTo(ReviewFilter.commandHash("GET", "/a\n", new byte[0], "b"));
    }
}
