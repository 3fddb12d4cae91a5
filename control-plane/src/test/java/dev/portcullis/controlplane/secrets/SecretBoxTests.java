package dev.portcullis.controlplane.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SecretBoxTests {

    private final SecretBox box = new SecretBox(MasterKey.parse("00".repeat(32)));

    @Test
    void openWhenSealedWithSameKeyAndContextThenOriginal() {
        byte[] sealed = box.seal("hunter2".getBytes(StandardCharsets.UTF_8), "connection:1");

        assertThat(new String(box.open(sealed, "connection:1"), StandardCharsets.UTF_8))
                .isEqualTo("hunter2");
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("hunter2");
    }

    @Test
    void sealWhenSameInputTwiceThenDifferentCiphertext() {
        byte[] a = box.seal("same".getBytes(StandardCharsets.UTF_8), "c");
        byte[] b = box.seal("same".getBytes(StandardCharsets.UTF_8), "c");

        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void openWhenOtherKeyThenFailsNamingTheKey() {
        byte[] sealed = box.seal("x".getBytes(StandardCharsets.UTF_8), "c");
        SecretBox other = new SecretBox(MasterKey.parse("11".repeat(32)));

        assertThatThrownBy(() -> other.open(sealed, "c"))
                .isInstanceOf(InvalidMasterKeyException.class)
                .hasMessageContaining(other.keyId());
    }

    @Test
    void openWhenContextDiffersThenFails() {
        byte[] sealed = box.seal("x".getBytes(StandardCharsets.UTF_8), "connection:1");

        assertThatThrownBy(() -> box.open(sealed, "connection:2")).isInstanceOf(InvalidMasterKeyException.class);
    }

    @Test
    void openWhenTamperedOrTruncatedThenFails() {
        byte[] sealed = box.seal("x".getBytes(StandardCharsets.UTF_8), "c");
        sealed[sealed.length - 1] ^= 1;

        assertThatThrownBy(() -> box.open(sealed, "c")).isInstanceOf(InvalidMasterKeyException.class);
        assertThatThrownBy(() -> box.open(new byte[5], "c")).isInstanceOf(InvalidMasterKeyException.class);
    }

    @Test
    void parseWhenHexOrBase64ThenSameKeyId() {
        MasterKey hex = MasterKey.parse("ab".repeat(32));
        byte[] raw = new byte[32];
        java.util.Arrays.fill(raw, (byte) 0xab);
        MasterKey base64 = MasterKey.parse(java.util.Base64.getEncoder().encodeToString(raw));

        assertThat(hex.id()).isEqualTo(base64.id()).hasSize(16);
        assertThat(hex.toString()).doesNotContain("abab");
    }

    @Test
    void parseWhenWrongLengthOrGarbageThenRejected() {
        assertThatThrownBy(() -> MasterKey.parse("ab".repeat(16))).hasMessageContaining("256 bits");
        assertThatThrownBy(() -> MasterKey.parse("not a key!")).isInstanceOf(InvalidMasterKeyException.class);
    }
}
