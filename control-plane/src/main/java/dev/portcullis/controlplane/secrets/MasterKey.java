package dev.portcullis.controlplane.secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The 256-bit key that encrypts stored credentials. Its {@link #id()} is a fingerprint, safe to store beside the data
 * and to log: it tells which key encrypted a value without revealing the key.
 */
public final class MasterKey {

    private final SecretKey key;

    private final String id;

    private MasterKey(byte[] bytes) {
        if (bytes.length != 32) {
            throw new InvalidMasterKeyException(
                    "The master key must be 256 bits (32 bytes, base64 or hex encoded); got " + bytes.length
                            + " bytes");
        }
        this.key = new SecretKeySpec(bytes, "AES");
        this.id = fingerprint(bytes);
        Arrays.fill(bytes, (byte) 0);
    }

    /** Reads a key written as 64 hex digits or as base64 (standard or URL-safe). */
    public static MasterKey parse(String encoded) {
        String value = encoded.strip();
        if (value.matches("[0-9a-fA-F]{64}")) {
            return new MasterKey(HexFormat.of().parseHex(value));
        }
        try {
            return new MasterKey(Base64.getDecoder().decode(value));
        } catch (IllegalArgumentException notStandard) {
            try {
                return new MasterKey(Base64.getUrlDecoder().decode(value));
            } catch (IllegalArgumentException notUrlSafe) {
                throw new InvalidMasterKeyException(
                        "The master key must be 256 bits written as 64 hex digits or as base64; it is neither");
            }
        }
    }

    /** Wraps raw key bytes (the array is wiped afterwards). */
    public static MasterKey of(byte[] bytes) {
        return new MasterKey(bytes.clone());
    }

    /** The key's fingerprint: the first 16 hex digits of a domain-separated SHA-256 of it. */
    public String id() {
        return id;
    }

    SecretKey secretKey() {
        return key;
    }

    private static String fingerprint(byte[] bytes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update("portcullis-master-key-id:".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest.digest(bytes)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "MasterKey[id=" + id + "]";
    }
}
