package dev.portcullis.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BodyCaptureTests {

    @Test
    void ofWhenUtf8UnderCapThenText() {
        byte[] body = "{\"name\":\"Zoë\"}".getBytes(StandardCharsets.UTF_8);
        BodyCapture capture = BodyCapture.of(body, body.length, body.length, 1024);
        assertThat(capture).isEqualTo(new BodyCapture("{\"name\":\"Zoë\"}", BodyCapture.UTF_8, body.length, false));
    }

    @Test
    void ofWhenOverCapThenTruncatedWithFullSize() {
        byte[] body = "abcdefghij".getBytes(StandardCharsets.UTF_8);
        BodyCapture capture = BodyCapture.of(body, body.length, 10_000, 4);
        assertThat(capture.body()).isEqualTo("abcd");
        assertThat(capture.truncated()).isTrue();
        assertThat(capture.size()).isEqualTo(10_000);
    }

    @Test
    void ofWhenCutSplitsACharacterThenDropsItsStart() {
        byte[] body = "ab€".getBytes(StandardCharsets.UTF_8); // € is three bytes
        BodyCapture capture = BodyCapture.of(body, body.length, body.length, 4);
        assertThat(capture.body()).isEqualTo("ab");
        assertThat(capture.encoding()).isEqualTo(BodyCapture.UTF_8);
        assertThat(capture.truncated()).isTrue();
    }

    @Test
    void ofWhenAsciiThenTextAsIsWholeOrCutAnywhere() {
        byte[] body = "{\"a\":[1,2],\n\t\"b\":\"\\u00e9\"}\r\n\u007f".getBytes(StandardCharsets.US_ASCII);
        for (int cap = 0; cap <= body.length; cap++) {
            BodyCapture capture = BodyCapture.of(body, body.length, body.length, cap);
            assertThat(capture.body()).isEqualTo(new String(body, 0, cap, StandardCharsets.UTF_8));
            assertThat(capture.encoding()).isEqualTo(BodyCapture.UTF_8);
            assertThat(capture.truncated()).isEqualTo(cap < body.length);
        }
    }

    @Test
    void ofWhenBinaryOrNulThenBase64() {
        byte[] binary = {(byte) 0xff, (byte) 0xfe, 0, 1};
        BodyCapture capture = BodyCapture.of(binary, 4, 4, 100);
        assertThat(capture.encoding()).isEqualTo(BodyCapture.BASE64);
        assertThat(Base64.getDecoder().decode(capture.body())).isEqualTo(binary);

        byte[] nul = "a\0b".getBytes(StandardCharsets.UTF_8);
        assertThat(BodyCapture.of(nul, 3, 3, 100).encoding()).isEqualTo(BodyCapture.BASE64);
    }

    @Test
    void addToWhenCalledThenFourFields() {
        Map<String, Object> payload = new HashMap<>();
        BodyCapture.EMPTY.addTo(payload);
        assertThat(payload)
                .containsEntry("body", "")
                .containsEntry("bodyEncoding", "utf-8")
                .containsEntry("bodySize", 0L)
                .containsEntry("bodyTruncated", false);
    }
}
