package dev.portcullis.policy.masking;

import dev.portcullis.policy.Detector;
import java.util.Objects;

/**
 * One sensitive value found in a text: which detector found it and where, as {@link String#substring(int, int)}
 * indices.
 *
 * @param detector the detector that found the value
 * @param start index of the first character of the value
 * @param end index just past the last character of the value
 */
public record Finding(Detector detector, int start, int end) {

    /**
     * Checks the span.
     *
     * @param detector the detector that found the value
     * @param start index of the first character of the value
     * @param end index just past the last character of the value
     * @throws IllegalArgumentException if the span is empty or negative
     */
    public Finding {
        Objects.requireNonNull(detector, "detector");
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("finding needs 0 <= start < end, got " + start + ".." + end);
        }
    }

    /**
     * Returns how many characters the value spans.
     *
     * @return {@code end - start}
     */
    public int length() {
        return end - start;
    }

    /**
     * Tells whether this finding shares at least one character with another.
     *
     * @param other the other finding
     * @return {@code true} if the spans overlap
     */
    public boolean overlaps(Finding other) {
        return start < other.end && other.start < end;
    }
}
