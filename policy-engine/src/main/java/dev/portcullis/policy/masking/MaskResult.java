package dev.portcullis.policy.masking;

/**
 * What masking one body did, for metrics and the session record.
 *
 * @param bytesIn bytes read from the input
 * @param bytesOut bytes written to the output
 * @param valuesMasked how many values were replaced: JSON scalars for a JSON body, detector findings for a text body
 */
public record MaskResult(long bytesIn, long bytesOut, int valuesMasked) {

    /**
     * Checks the counts.
     *
     * @param bytesIn bytes read from the input
     * @param bytesOut bytes written to the output
     * @param valuesMasked how many values were replaced
     * @throws IllegalArgumentException if a count is negative
     */
    public MaskResult {
        if (bytesIn < 0 || bytesOut < 0 || valuesMasked < 0) {
            throw new IllegalArgumentException("mask result counts must not be negative");
        }
    }

    /**
     * Tells whether anything was replaced.
     *
     * @return {@code true} if at least one value was masked
     */
    public boolean masked() {
        return valuesMasked > 0;
    }
}
