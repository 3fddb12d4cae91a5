package dev.portcullis.controlplane.sessions;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Rows in the text format of PostgreSQL's {@code COPY … FROM STDIN}, written as UTF-8 bytes: {@code \N} for null, and
 * backslash, tab and line breaks escaped. Escaping works on the bytes themselves, which is safe in UTF-8: no byte of a
 * multi-byte character is below 0x80. An event's payload arrives here already encoded, so it is copied, never decoded.
 */
final class CopyText {

    private byte[] bytes;

    private int count;

    CopyText(int capacity) {
        bytes = new byte[Math.max(64, capacity)];
    }

    /** Text known to hold only ASCII without anything to escape: ids, numbers, times. */
    CopyText ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[count++] = (byte) s.charAt(i);
        }
        return this;
    }

    /** Any text, or {@code null}. */
    CopyText text(String s) {
        return s == null ? nul() : utf8(s.getBytes(StandardCharsets.UTF_8));
    }

    /** UTF-8 bytes as a value, escaped. */
    CopyText utf8(byte[] value) {
        ensure(value.length);
        int plain = 0;
        for (int i = 0; i < value.length; i++) {
            byte b = value[i];
            if (b != '\\' && b != '\t' && b != '\n' && b != '\r') {
                continue;
            }
            put(value, plain, i);
            plain = i + 1;
            ensure(2);
            bytes[count++] = '\\';
            bytes[count++] = switch (b) {
                case '\\' -> '\\';
                case '\t' -> 't';
                case '\n' -> 'n';
                default -> 'r';
            };
        }
        put(value, plain, value.length);
        return this;
    }

    CopyText nul() {
        ensure(2);
        bytes[count++] = '\\';
        bytes[count++] = 'N';
        return this;
    }

    CopyText tab() {
        ensure(1);
        bytes[count++] = '\t';
        return this;
    }

    CopyText newline() {
        ensure(1);
        bytes[count++] = '\n';
        return this;
    }

    InputStream stream() {
        return new ByteArrayInputStream(bytes, 0, count);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, count);
    }

    private void put(byte[] from, int start, int end) {
        int n = end - start;
        ensure(n);
        System.arraycopy(from, start, bytes, count, n);
        count += n;
    }

    private void ensure(int more) {
        if (bytes.length - count < more) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, count + more));
        }
    }
}
