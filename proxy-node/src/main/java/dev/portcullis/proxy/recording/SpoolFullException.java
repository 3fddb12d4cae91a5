package dev.portcullis.proxy.recording;

/**
 * A new session cannot start because the event spool holds more than {@code portcullis.proxy.recording.spool-max-bytes}
 * that the control plane has not accepted (or the disk is behind). Sessions already open keep recording: a full spool
 * refuses new work rather than losing events. Callers answer 503.
 */
public class SpoolFullException extends RuntimeException {

    public SpoolFullException(String message) {
        super(message);
    }
}
