package dev.portcullis.controlplane.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CopyBinaryTests {

    @Test
    void streamWhenOneRowThenSignatureFieldsAndTrailerAsPostgresReadsThem() {
        UUID id = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");
        // One second and 7 µs after PostgreSQL's epoch, given in another zone.
        OffsetDateTime time = OffsetDateTime.of(2000, 1, 1, 2, 0, 1, 7_000, ZoneOffset.ofHours(2));
        CopyBinary copy = new CopyBinary(1);
        copy.row(5).uuid(id).int8(42).timestamptz(time).text(null).utf8("{\"é\":1}".getBytes(StandardCharsets.UTF_8));

        ByteBuffer in = ByteBuffer.wrap(copy.toByteArray());
        byte[] signature = new byte[11];
        in.get(signature);
        assertThat(signature).isEqualTo(new byte[] {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0});
        assertThat(in.getInt()).isZero();
        assertThat(in.getInt()).isZero();
        assertThat(in.getShort()).isEqualTo((short) 5);
        assertThat(in.getInt()).isEqualTo(16);
        assertThat(new UUID(in.getLong(), in.getLong())).isEqualTo(id);
        assertThat(in.getInt()).isEqualTo(8);
        assertThat(in.getLong()).isEqualTo(42);
        assertThat(in.getInt()).isEqualTo(8);
        assertThat(in.getLong()).isEqualTo(1_000_007L);
        assertThat(in.getInt()).isEqualTo(-1);
        int length = in.getInt();
        byte[] json = new byte[length];
        in.get(json);
        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"é\":1}");
        assertThat(in.getShort()).isEqualTo((short) -1);
        assertThat(in.hasRemaining()).isFalse();
    }

    @Test
    void rowWhenStreamFinishedThenRefused() {
        CopyBinary copy = new CopyBinary(64);
        copy.stream();
        assertThatIllegalStateException().isThrownBy(() -> copy.row(1));
    }
}
