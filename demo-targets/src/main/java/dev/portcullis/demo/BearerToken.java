package dev.portcullis.demo;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The token the API requires. Its value never leaves this class: not in {@link #toString()}, not in a log line. */
final class BearerToken {

    private final byte[] digest;

    BearerToken(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the bearer token must not be empty");
        }
        this.digest = sha256(value);
    }

    /**
     * Compares digests rather than the strings so that the comparison takes the same time whatever the presented
     * token is, its length included.
     */
    boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    @Override
    public String toString() {
        return "BearerToken[***]";
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }
}
