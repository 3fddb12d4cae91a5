package dev.portcullis.demo;

/** The API cannot start as configured; the message is meant for the person who started it. */
final class StartupException extends RuntimeException {

    StartupException(String message) {
        super(message);
    }

    StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
