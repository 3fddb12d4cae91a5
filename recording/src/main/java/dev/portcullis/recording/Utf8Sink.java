package dev.portcullis.recording;

import java.util.Arrays;

/**
 * A growable byte buffer that canonical JSON is written into as UTF-8, so that an event is encoded once, with no
 * string in between: the text it holds is exactly what {@code String.getBytes(UTF_8)} gives for the same characters
 * (an unpaired surrogate becomes {@code ?}, as there).
 */
final class Utf8Sink {

    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};

    /**
     * A scratch sink grown beyond this is replaced at its next use, so that one huge event pins its memory only until
     * the thread encodes again.
     */
    static final int KEPT_CAPACITY = 256 * 1024;

    private byte[] bytes;

    private int count;

    /** How many times {@link #scratch} has handed this sink out: what an encoding made earlier is stale after. */
    private int use;

    Utf8Sink(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    /**
     * This thread's sink in {@code slot}, emptied: for bytes that are used at once and not kept (hashed, or copied
     * out), so that encoding an event allocates no buffer and never grows one again once it is large enough. The caller
     * must be done with it before it asks the same slot again.
     */
    static Utf8Sink scratch(ThreadLocal<Utf8Sink> slot) {
        Utf8Sink sink = slot.get();
        if (sink == null || sink.bytes.length > KEPT_CAPACITY) {
            sink = new Utf8Sink(4096);
            slot.set(sink);
        }
        sink.count = 0;
        sink.use++;
        return sink;
    }

    int length() {
        return count;
    }

    int use() {
        return use;
    }

    /** Leaves {@code n} bytes as they are (room to fill in later) and writes after them. */
    Utf8Sink skip(int n) {
        ensure(n);
        count += n;
        return this;
    }

    /** Drops what was written after the first {@code length} bytes. */
    Utf8Sink truncate(int length) {
        if (length < 0 || length > count) {
            throw new IndexOutOfBoundsException(length);
        }
        count = length;
        return this;
    }

    byte[] array() {
        return bytes;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, count);
    }

    /** Characters known to be ASCII and to need no escape: keys, punctuation, digits. */
    Utf8Sink ascii(String s) {
        int n = s.length();
        ensure(n);
        byte[] b = bytes;
        int at = count;
        for (int i = 0; i < n; i++) {
            b[at++] = (byte) s.charAt(i);
        }
        count = at;
        return this;
    }

    Utf8Sink ascii(char c) {
        ensure(1);
        bytes[count++] = (byte) c;
        return this;
    }

    Utf8Sink number(long value) {
        if (value < 0 || value > Integer.MAX_VALUE) {
            return ascii(Long.toString(value));
        }
        // Small numbers (sequence numbers, sizes) without a string in between.
        int rest = (int) value;
        int digits = 1;
        for (int i = rest / 10; i > 0; i /= 10) {
            digits++;
        }
        ensure(digits);
        int at = count + digits;
        count = at;
        do {
            bytes[--at] = (byte) ('0' + rest % 10);
            rest /= 10;
        } while (rest > 0);
        return this;
    }

    Utf8Sink bytes(byte[] data) {
        ensure(data.length);
        System.arraycopy(data, 0, bytes, count, data.length);
        count += data.length;
        return this;
    }

    /**
     * A JSON string literal: {@code "}, {@code \} and control characters escaped, everything else as it is.
     *
     * @param nul whether U+0000 may occur (escaped as {@code \u0000}); if not, it is refused
     */
    Utf8Sink string(CharSequence text, boolean nul) {
        // Read through String itself where it is one: a call through CharSequence costs more per character.
        String s = text.toString();
        int length = s.length();
        // Three bytes per character at most, and the quotes; escapes make room for themselves.
        ensure(3 * length + 2);
        byte[] b = bytes;
        int at = count;
        b[at++] = '"';
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    b[at++] = (byte) c;
                    continue;
                }
                count = at;
                ensure(6 + 3 * (length - i));
                b = bytes;
                at = escape(b, at, c, nul);
            } else if (c < 0x800) {
                b[at++] = (byte) (0xc0 | (c >> 6));
                b[at++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    b[at++] = (byte) (0xf0 | (cp >> 18));
                    b[at++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                    b[at++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                    b[at++] = (byte) (0x80 | (cp & 0x3f));
                } else {
                    b[at++] = '?';
                }
            } else {
                b[at++] = (byte) (0xe0 | (c >> 12));
                b[at++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                b[at++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        b[at++] = '"';
        count = at;
        return this;
    }

    private static int escape(byte[] b, int at, char c, boolean nul) {
        b[at++] = '\\';
        switch (c) {
            case '"' -> b[at++] = '"';
            case '\\' -> b[at++] = '\\';
            case '\b' -> b[at++] = 'b';
            case '\f' -> b[at++] = 'f';
            case '\n' -> b[at++] = 'n';
            case '\r' -> b[at++] = 'r';
            case '\t' -> b[at++] = 't';
            default -> {
                if (c == 0 && !nul) {
                    throw new IllegalArgumentException("payload strings cannot hold U+0000; carry such data in base64");
                }
                b[at++] = 'u';
                b[at++] = '0';
                b[at++] = '0';
                b[at++] = HEX[c >> 4];
                b[at++] = HEX[c & 0xf];
            }
        }
        return at;
    }

    private void ensure(int more) {
        if (bytes.length - count < more) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, count + more));
        }
    }
}
