package dev.portcullis.controlplane.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CopyTextTests {

    @Test
    void textWhenSpecialCharactersThenEscapedAndMultiByteKept() {
        String value = "a\\b\tc\nd\re Grüße 東京 🙂";
        String row =
                new String(new CopyText(8).text(value).tab().nul().newline().toByteArray(), StandardCharsets.UTF_8);
        assertThat(row).isEqualTo("a\\\\b\\tc\\nd\\re Grüße 東京 🙂\t\\N\n");
    }

    @Test
    void utf8WhenBytesThenSameAsTheTextAndGrows() {
        String value = "{\"body\":\"line one\\nline two\",\"tab\":\"\t\"}".repeat(50);
        byte[] viaBytes =
                new CopyText(1).utf8(value.getBytes(StandardCharsets.UTF_8)).toByteArray();
        byte[] viaText = new CopyText(1).text(value).toByteArray();
        assertThat(viaBytes).isEqualTo(viaText);
        assertThat(new String(viaBytes, StandardCharsets.UTF_8))
                .doesNotContain("\t")
                .contains("\\\\n");
    }
}
