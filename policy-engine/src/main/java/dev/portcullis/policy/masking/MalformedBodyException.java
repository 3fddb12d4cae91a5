package dev.portcullis.policy.masking;

/**
 * Thrown when a body that should be JSON is not: a syntax error, a truncated document, trailing content after the
 * value, or a document beyond the parser's limits (such as nesting depth). A body that cannot be parsed cannot be
 * masked, so it must not be passed on.
 */
public final class MalformedBodyException extends MaskingException {

    private static final long serialVersionUID = 1L;

    private final long byteOffset;

    /**
     * Creates the exception.
     *
     * @param reason what is wrong, without quoting the body
     * @param byteOffset where in the body the problem was noticed, or {@code -1} if unknown
     */
    public MalformedBodyException(String reason, long byteOffset) {
        super(
                byteOffset >= 0
                        ? "malformed JSON body at byte " + byteOffset + ": " + reason
                        : "malformed JSON body: " + reason);
        this.byteOffset = byteOffset;
    }

    /**
     * Returns where in the body the problem was noticed.
     *
     * @return the offset in bytes from the start of the body, or {@code -1} if unknown
     */
    public long byteOffset() {
        return byteOffset;
    }
}
