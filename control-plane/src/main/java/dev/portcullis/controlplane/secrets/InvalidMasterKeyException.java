package dev.portcullis.controlplane.secrets;

/** The master key is missing, malformed, or not the key that encrypted the stored credentials. */
public class InvalidMasterKeyException extends RuntimeException {

    public InvalidMasterKeyException(String message) {
        super(message);
    }

    public InvalidMasterKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
