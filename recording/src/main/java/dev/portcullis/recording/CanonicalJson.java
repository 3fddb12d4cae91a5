package dev.portcullis.recording;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Writes a JSON value in one canonical form, so that two parties holding the same value produce the same bytes:
 * object keys sorted by UTF-16 code unit (as RFC 8785 does), no whitespace, integers as plain digits, decimals
 * without an exponent or trailing zeros, and strings escaped minimally ({@code "}, {@code \} and control
 * characters).
 *
 * <p>Values are {@code null}, {@link Boolean}, {@link CharSequence}, {@link Number}, {@link Map} with string keys, and
 * {@link Collection} or arrays of values: the shapes a JSON library reads a document into.
 */
public final class CanonicalJson {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CanonicalJson() {}

    /**
     * The canonical form of a value.
     *
     * @param value the value
     * @return its canonical JSON text
     * @throws IllegalArgumentException for a value of another type, a non-string key, or a non-finite number
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder(256);
        append(out, value, true);
        return out.toString();
    }

    /**
     * The canonical form of a value whose strings hold no U+0000 (which PostgreSQL's {@code jsonb} cannot store): the
     * form of an event payload.
     *
     * @param value the value
     * @return its canonical JSON text
     * @throws IllegalArgumentException as {@link #write(Object)}, and for a string holding U+0000
     */
    public static String writeWithoutNul(Object value) {
        StringBuilder out = new StringBuilder(256);
        append(out, value, false);
        return out.toString();
    }

    /**
     * Appends a string as a canonical JSON string literal.
     *
     * @param out where to
     * @param s the string
     */
    static void appendString(StringBuilder out, CharSequence s) {
        appendString(out, s, true);
    }

    /**
     * The canonical form of a value as UTF-8.
     *
     * @param value the value
     * @return its canonical JSON bytes
     * @throws IllegalArgumentException as {@link #write(Object)}
     */
    public static byte[] bytes(Object value) {
        return write(value).getBytes(StandardCharsets.UTF_8);
    }

    private static void append(StringBuilder out, Object value, boolean nul) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue() ? "true" : "false");
        } else if (value instanceof CharSequence s) {
            appendString(out, s, nul);
        } else if (value instanceof Number n) {
            appendNumber(out, n);
        } else if (value instanceof Map<?, ?> map) {
            appendObject(out, map, nul);
        } else if (value instanceof Collection<?> list) {
            appendArray(out, list, nul);
        } else if (value instanceof Object[] array) {
            appendArray(out, List.of(array), nul);
        } else {
            throw new IllegalArgumentException(
                    "not a JSON value: " + value.getClass().getName());
        }
    }

    private static void appendObject(StringBuilder out, Map<?, ?> map, boolean nul) {
        List<String> keys = new ArrayList<>(map.size());
        for (Object key : map.keySet()) {
            if (!(key instanceof String s)) {
                throw new IllegalArgumentException("JSON object keys are strings, not " + key);
            }
            keys.add(s);
        }
        keys.sort(null);
        out.append('{');
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            appendString(out, keys.get(i), nul);
            out.append(':');
            append(out, map.get(keys.get(i)), nul);
        }
        out.append('}');
    }

    private static void appendArray(StringBuilder out, Collection<?> list, boolean nul) {
        out.append('[');
        boolean first = true;
        for (Object item : list) {
            if (!first) {
                out.append(',');
            }
            first = false;
            append(out, item, nul);
        }
        out.append(']');
    }

    private static void appendNumber(StringBuilder out, Number n) {
        if (n instanceof Integer
                || n instanceof Long
                || n instanceof Short
                || n instanceof Byte
                || n instanceof BigInteger) {
            out.append(n);
            return;
        }
        BigDecimal decimal;
        if (n instanceof BigDecimal d) {
            decimal = d;
        } else {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("JSON has no " + d);
            }
            decimal = BigDecimal.valueOf(d);
        }
        decimal = decimal.stripTrailingZeros();
        out.append(decimal.signum() == 0 ? "0" : decimal.toPlainString());
    }

    private static void appendString(StringBuilder out, CharSequence s, boolean nul) {
        out.append('"');
        int length = s.length();
        int plain = 0;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            // Runs of characters that need no escape are copied at once.
            out.append(s, plain, i);
            plain = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c == 0 && !nul) {
                        throw new IllegalArgumentException(
                                "payload strings cannot hold U+0000; carry such data in base64");
                    }
                    out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                }
            }
        }
        out.append(s, plain, length);
        out.append('"');
    }
}
