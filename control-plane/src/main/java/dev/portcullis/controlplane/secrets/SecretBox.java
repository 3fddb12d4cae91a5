package dev.portcullis.controlplane.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM encryption under the master key. A sealed value is {@code nonce(12) || ciphertext || tag(16)}. The
 * associated data binds a value to the row it belongs to, so a ciphertext copied onto another row does not decrypt.
 */
public final class SecretBox {

    private static final int NONCE_BYTES = 12;

    private static final int TAG_BITS = 128;

    private final MasterKey key;

    private final SecureRandom random = new SecureRandom();

    public SecretBox(MasterKey key) {
        this.key = key;
    }

    /** The fingerprint of the key this box seals with. */
    public String keyId() {
        return key.id();
    }

    /** Encrypts {@code plaintext} bound to {@code context} (for example {@code connection:<id>}). */
    public byte[] seal(byte[] plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length)
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * Decrypts a value sealed by {@link #seal}. A wrong key, a wrong context or any change to the bytes fails with
     * {@link InvalidMasterKeyException}; nothing is ever returned half-decrypted.
     */
    public byte[] open(byte[] sealed, String context) {
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new InvalidMasterKeyException("Sealed value is too short to be AES-GCM ciphertext");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new InvalidMasterKeyException(
                    "Could not decrypt a stored secret with master key " + key.id()
                            + ": the key is not the one it was encrypted with, or the value was altered",
                    e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }
}
