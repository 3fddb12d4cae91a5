package dev.portcullis.policy.masking;

/**
 * Thrown as soon as a body has more bytes than the caller allowed; the rest is not read. The proxy answers with 413
 * (or its protocol's equivalent) rather than passing an unmasked body through.
 */
public final class BodyTooLargeException extends MaskingException {

    private static final long serialVersionUID = 1L;

    private final long limit;

    /**
     * Creates the exception.
     *
     * @param limit the number of bytes that was allowed
     */
    public BodyTooLargeException(long limit) {
        super("body is larger than the masking limit of " + limit + " bytes");
        this.limit = limit;
    }

    /**
     * Returns the limit that was exceeded.
     *
     * @return the number of bytes that was allowed
     */
    public long limit() {
        return limit;
    }
}
