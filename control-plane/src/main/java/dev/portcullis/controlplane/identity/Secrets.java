package dev.portcullis.controlplane.identity;

import java.security.SecureRandom;
import java.util.Base64;

/** Random secrets for clients and passwords: 192 bits, URL-safe. */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    public static String generate() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
