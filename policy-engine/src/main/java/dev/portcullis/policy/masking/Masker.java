package dev.portcullis.policy.masking;

import dev.portcullis.policy.Detector;
import dev.portcullis.policy.MaskingRule;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Applies the masking rules of a policy snapshot to what the proxy sends back: text, single fields (SQL columns) and
 * JSON bodies.
 *
 * <p>Two kinds of rule add up. <em>Field rules</em> hide every value under a matching field: where the whole value is
 * one value some detector recognizes, its shape is kept ({@code j***@example.com}), otherwise it becomes {@code ***}.
 * <em>Detectors</em> find values anywhere else and replace just them with their partial mask (see {@link Masks}).
 *
 * <p>Field rule syntax:
 *
 * <ul>
 *   <li>A rule without {@code .} or {@code [} is a name: it matches a field (column, JSON property) of that name at
 *       any depth: {@code email}, {@code card_number}.
 *   <li>A rule with them is a path from the top of the document: names joined by {@code .}, and {@code [*]} for any
 *       element of an array: {@code customer.email}, {@code items[*].card_number}, {@code [*].email} for a
 *       top-level array. An index in brackets ({@code items[0]}) also means any element: a rule can only mask more.
 *   <li>Names in both may use {@code *} (any run of characters) and {@code ?} (one character): {@code *_token},
 *       {@code card*}, {@code ?}, {@code *.email} (an email one level down). Matching ignores case.
 *   <li>A value is masked when its own field matches or any field above it does, so a rule on {@code address} hides
 *       every part of an address object, and {@code tokens[*]} every element of {@code tokens}.
 *   <li>A field whose own name contains a dot can be reached by a name glob ({@code a?b}) but not by a path.
 * </ul>
 *
 * <p>Immutable and thread-safe: the proxy builds one per policy snapshot and shares it across requests. A masker with
 * no rules ({@link #isNoop()}) changes nothing, and callers should skip it altogether.
 */
public final class Masker {

    private final FieldRules fields;
    private final Set<Detector> detectors;
    private final Scanner[] scanners;

    private Masker(FieldRules fields, Set<Detector> detectors) {
        this.fields = fields;
        this.detectors = detectors;
        this.scanners = Detectors.scanners(detectors);
    }

    /**
     * Builds a masker from the masking rules of every policy that applies; their fields and detectors add up.
     *
     * @param rules the masking rules, possibly none
     * @return the masker; one that changes nothing when there are no rules
     */
    public static Masker of(List<MaskingRule> rules) {
        Objects.requireNonNull(rules, "rules");
        List<String> fields = new ArrayList<>();
        Set<Detector> detectors = EnumSet.noneOf(Detector.class);
        for (MaskingRule rule : rules) {
            fields.addAll(rule.fields());
            detectors.addAll(rule.detectors());
        }
        return new Masker(FieldRules.of(fields), Collections.unmodifiableSet(detectors));
    }

    /**
     * Tells whether this masker changes nothing, so that a caller can pass bodies through without parsing them.
     *
     * @return {@code true} if there are neither field rules nor detectors
     */
    public boolean isNoop() {
        return fields.isEmpty() && detectors.isEmpty();
    }

    /**
     * Returns the detectors this masker runs over every value.
     *
     * @return the detectors, in declaration order
     */
    public Set<Detector> detectors() {
        return detectors;
    }

    /**
     * Tells whether a field is hidden by a field rule: it matches a rule, or a field above it does.
     *
     * @param fieldPathOrName a column or field name ({@code email}) or a dotted path ({@code customer.email},
     *     {@code items[2].card_number}; an index in brackets stands for any element)
     * @return {@code true} if values of this field are masked whatever they hold
     */
    public boolean fieldMatches(String fieldPathOrName) {
        Objects.requireNonNull(fieldPathOrName, "fieldPathOrName");
        return fields.matches(fieldPathOrName);
    }

    /**
     * Replaces every value the detectors find in a text with its partial mask.
     *
     * @param text the text
     * @return the masked text, or {@code text} itself (the same instance) when nothing was found
     */
    public String maskText(String text) {
        Objects.requireNonNull(text, "text");
        return maskText(text, Detectors.scan(text, scanners));
    }

    /**
     * Masks one field's value: a value under a field rule is hidden (keeping its shape when the whole value is one
     * value some detector recognizes, whether or not that detector is among this masker's), any other value goes
     * through {@link #maskText(String)}.
     *
     * @param fieldPathOrName the column or field name, or a dotted path, as for {@link #fieldMatches(String)}
     * @param value the value; {@code null} (SQL {@code NULL}) and the empty string are returned as they are, since
     *     they hide nothing
     * @return the masked value, or {@code value} itself when nothing changed
     */
    public String maskField(String fieldPathOrName, String value) {
        if (value == null) {
            return null;
        }
        return fieldMatches(fieldPathOrName) ? maskSensitive(value) : maskText(value);
    }

    /**
     * Masks a JSON body on its way through, from parser to generator without building a tree. String values under a
     * field rule are masked as by {@link #maskField}; numbers and booleans there become the string {@code "***"}, and
     * {@code null} stays. Every other string goes through the detectors, and so does an integer of 13 to 19 digits
     * (a card number stored as a number becomes a masked string). Field names are never changed.
     *
     * <p>The output is compact UTF-8 JSON with the same structure: whitespace between tokens is dropped, strings are
     * re-escaped (non-ASCII characters are written as UTF-8, not as {@code \}{@code u} escapes), numbers keep their
     * text. An empty body (no bytes, or only whitespace) is not an error and writes nothing.
     *
     * <p>On failure the output may already hold part of the body: the caller must buffer it and throw it away. The
     * streams are neither closed nor, apart from a final flush, otherwise touched.
     *
     * @param in the body as received
     * @param out where the masked body goes
     * @param maxBytes how many bytes of body to accept at most
     * @return what was read, written and masked
     * @throws BodyTooLargeException as soon as more than {@code maxBytes} bytes have been read
     * @throws MalformedBodyException if the body is not one JSON value: a syntax error, truncated input, content after
     *     the value, or nesting deeper than the parser allows (500 levels)
     * @throws UncheckedIOException if reading or writing a stream fails
     * @throws IllegalArgumentException if {@code maxBytes} is negative
     */
    public MaskResult maskJson(InputStream in, OutputStream out, long maxBytes) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        checkLimit(maxBytes);
        return JsonMasking.mask(this, fields, detectors.contains(Detector.CREDIT_CARD), in, out, maxBytes);
    }

    /**
     * Masks a text body: reads it whole (up to the limit), masks what the detectors find, writes the result. Field
     * rules do not apply, since text has no fields. When nothing is found the bytes are written exactly as read;
     * otherwise the masked text is encoded in the same charset, where bytes that were not valid in it come out as
     * the charset's replacement character.
     *
     * @param in the body as received
     * @param out where the masked body goes
     * @param maxBytes how many bytes of body to accept at most; the body is held in memory, so at most
     *     {@code Integer.MAX_VALUE - 8}
     * @param charset the body's charset
     * @return what was read, written and masked ({@code valuesMasked} counts findings)
     * @throws BodyTooLargeException if the body has more than {@code maxBytes} bytes
     * @throws UncheckedIOException if reading or writing a stream fails
     * @throws IllegalArgumentException if {@code maxBytes} is negative or too large to hold in memory
     */
    public MaskResult maskText(InputStream in, OutputStream out, long maxBytes, Charset charset) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(charset, "charset");
        checkLimit(maxBytes);
        if (maxBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a text body is held in memory: maxBytes must be at most "
                    + (Integer.MAX_VALUE - 8) + ", got " + maxBytes);
        }
        try {
            byte[] body = in.readNBytes((int) maxBytes + 1);
            if (body.length > maxBytes) {
                throw new BodyTooLargeException(maxBytes);
            }
            String text = new String(body, charset);
            List<Finding> findings = Detectors.scan(text, scanners);
            if (findings.isEmpty()) {
                out.write(body);
                out.flush();
                return new MaskResult(body.length, body.length, 0);
            }
            byte[] masked = maskText(text, findings).getBytes(charset);
            out.write(masked);
            out.flush();
            return new MaskResult(body.length, masked.length, findings.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Describes the rules, never any value.
     *
     * @return the field rules and detectors
     */
    @Override
    public String toString() {
        return "Masker[fields=" + fields + ", detectors=" + detectors + "]";
    }

    /** A value known to be sensitive: its shape-keeping mask if it is exactly one recognizable value, else all gone. */
    String maskSensitive(String value) {
        if (value.isEmpty()) {
            return value;
        }
        Detector whole = Detectors.wholeMatch(value);
        return whole != null ? Masks.mask(whole, value) : Masks.maskWhole(value);
    }

    private static String maskText(String text, List<Finding> findings) {
        if (findings.isEmpty()) {
            return text;
        }
        StringBuilder masked = new StringBuilder(text.length());
        int copied = 0;
        for (Finding finding : findings) {
            masked.append(text, copied, finding.start());
            masked.append(Masks.mask(finding.detector(), text.substring(finding.start(), finding.end())));
            copied = finding.end();
        }
        return masked.append(text, copied, text.length()).toString();
    }

    private static void checkLimit(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative, got " + maxBytes);
        }
    }
}
