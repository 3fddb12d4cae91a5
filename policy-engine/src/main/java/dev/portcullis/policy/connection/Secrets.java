package dev.portcullis.policy.connection;

/** Checks on credential values whose messages name the field and never repeat the value. */
final class Secrets {

    private Secrets() {}

    static String requireValue(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("credential field '" + field + "' must not be blank");
        }
        // CR and LF would split an HTTP header; NUL ends a string on the PostgreSQL wire.
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(
                    "credential field '" + field + "' must not contain line breaks or NUL characters");
        }
        return value;
    }
}
