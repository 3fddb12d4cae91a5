package dev.portcullis.recording;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * A body as an event records it: up to a cap, as text when it is UTF-8 without U+0000, otherwise in base64, with its
 * full size and a truncation marker.
 *
 * @param body the captured bytes as text or base64
 * @param encoding {@value #UTF_8} or {@value #BASE64}
 * @param size the body's full size in bytes
 * @param truncated whether only the first bytes were captured
 */
public record BodyCapture(String body, String encoding, long size, boolean truncated) {

    /** The body is the text itself. */
    public static final String UTF_8 = "utf-8";

    /** The body is base64 of the bytes. */
    public static final String BASE64 = "base64";

    /** An empty body. */
    public static final BodyCapture EMPTY = new BodyCapture("", UTF_8, 0, false);

    /**
     * Captures a body.
     *
     * @param bytes the bytes seen, at least the first {@code cap} when the body is longer
     * @param length how many of {@code bytes} are the body's
     * @param size the body's full size
     * @param cap the most bytes to keep, at least 0
     * @return the capture
     */
    public static BodyCapture of(byte[] bytes, int length, long size, int cap) {
        int kept = (int) Math.min(Math.min(length, size), cap);
        boolean truncated = size > kept;
        if (kept == 0) {
            return new BodyCapture("", UTF_8, size, truncated);
        }
        if (isAsciiWithoutNul(bytes, kept)) {
            // Most bodies: text that needs no decoder (and a cut cannot split a character of it).
            return new BodyCapture(new String(bytes, 0, kept, StandardCharsets.US_ASCII), UTF_8, size, truncated);
        }
        // A cut may split a character: drop up to three bytes of an incomplete one at the end.
        for (int drop = 0; drop <= (truncated ? 3 : 0) && drop < kept; drop++) {
            String text = decode(bytes, kept - drop);
            if (text != null) {
                return new BodyCapture(text, UTF_8, size, truncated);
            }
        }
        return new BodyCapture(
                Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(bytes, kept)), BASE64, size, truncated);
    }

    private static boolean isAsciiWithoutNul(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] <= 0) {
                return false;
            }
        }
        return true;
    }

    private static String decode(byte[] bytes, int length) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            String text = decoder.decode(ByteBuffer.wrap(bytes, 0, length)).toString();
            return text.indexOf('\0') >= 0 ? null : text;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * Adds the body fields to an event payload: {@code body, bodyEncoding, bodySize, bodyTruncated}.
     *
     * @param payload the payload to add to
     */
    public void addTo(Map<String, Object> payload) {
        payload.put("body", body);
        payload.put("bodyEncoding", encoding);
        payload.put("bodySize", size);
        payload.put("bodyTruncated", truncated);
    }
}
