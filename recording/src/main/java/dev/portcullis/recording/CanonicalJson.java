package dev.portcullis.recording;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

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

    /** Each thread's buffer for encoding; the result is copied out of it. */
    private static final ThreadLocal<Utf8Sink> SCRATCH = new ThreadLocal<>();

    private CanonicalJson() {}

    /**
     * The canonical form of a value.
     *
     * @param value the value
     * @return its canonical JSON text
     * @throws IllegalArgumentException for a value of another type, a non-string key, or a non-finite number
     */
    public static String write(Object value) {
        Utf8Sink out = Utf8Sink.scratch(SCRATCH);
        append(out, value, true);
        return new String(out.array(), 0, out.length(), StandardCharsets.UTF_8);
    }

    /**
     * The canonical form of a value as UTF-8.
     *
     * @param value the value
     * @return its canonical JSON bytes
     * @throws IllegalArgumentException as {@link #write(Object)}
     */
    public static byte[] bytes(Object value) {
        Utf8Sink out = Utf8Sink.scratch(SCRATCH);
        append(out, value, true);
        return out.toByteArray();
    }

    static void append(Utf8Sink out, Object value, boolean nul) {
        if (value == null) {
            out.ascii("null");
        } else if (value instanceof Boolean b) {
            out.ascii(b.booleanValue() ? "true" : "false");
        } else if (value instanceof CharSequence s) {
            out.string(s, nul);
        } else if (value instanceof Number n) {
            out.ascii(numberText(n));
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

    private static void appendObject(Utf8Sink out, Map<?, ?> map, boolean nul) {
        Collection<? extends Map.Entry<?, ?>> entries = map.entrySet();
        // A map in natural order is already in the canonical one (strings by UTF-16 code units); others are sorted.
        if (!(map instanceof SortedMap<?, ?> sorted && sorted.comparator() == null)) {
            entries = Arrays.asList(byKey(entries));
        }
        out.ascii('{');
        boolean first = true;
        for (Map.Entry<?, ?> entry : entries) {
            if (!first) {
                out.ascii(',');
            }
            first = false;
            out.string(key(entry.getKey()), nul).ascii(':');
            append(out, entry.getValue(), nul);
        }
        out.ascii('}');
    }

    /**
     * The entries sorted by key. Payload objects have a handful of keys each, which an insertion sort orders with no
     * comparator or list; a large object is merge-sorted.
     */
    private static Map.Entry<?, ?>[] byKey(Collection<? extends Map.Entry<?, ?>> entries) {
        Map.Entry<?, ?>[] sorted = new Map.Entry<?, ?>[entries.size()];
        if (sorted.length > 16) {
            sorted = entries.toArray(sorted);
            for (Map.Entry<?, ?> entry : sorted) {
                key(entry.getKey());
            }
            Arrays.sort(sorted, (a, b) -> ((String) a.getKey()).compareTo((String) b.getKey()));
            return sorted;
        }
        int n = 0;
        for (Map.Entry<?, ?> entry : entries) {
            String key = key(entry.getKey());
            int at = n++;
            while (at > 0 && ((String) sorted[at - 1].getKey()).compareTo(key) > 0) {
                sorted[at] = sorted[at - 1];
                at--;
            }
            sorted[at] = entry;
        }
        return sorted;
    }

    private static String key(Object key) {
        if (!(key instanceof String s)) {
            throw new IllegalArgumentException("JSON object keys are strings, not " + key);
        }
        return s;
    }

    private static void appendArray(Utf8Sink out, Collection<?> list, boolean nul) {
        out.ascii('[');
        boolean first = true;
        for (Object item : list) {
            if (!first) {
                out.ascii(',');
            }
            first = false;
            append(out, item, nul);
        }
        out.ascii(']');
    }

    private static String numberText(Number n) {
        if (n instanceof Integer
                || n instanceof Long
                || n instanceof Short
                || n instanceof Byte
                || n instanceof BigInteger) {
            return n.toString();
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
        return decimal.signum() == 0 ? "0" : decimal.toPlainString();
    }
}
