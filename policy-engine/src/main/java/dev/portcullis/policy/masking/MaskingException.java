package dev.portcullis.policy.masking;

/**
 * Why a body could not be masked. The caller must not pass such a body on: it cannot be known to be clean. Messages
 * never quote the body, so they are safe to log and to show the caller.
 */
public abstract sealed class MaskingException extends RuntimeException
        permits BodyTooLargeException, MalformedBodyException {

    private static final long serialVersionUID = 1L;

    MaskingException(String message) {
        super(message);
    }
}
