package dev.portcullis.controlplane.sessions;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.UUID;

/**
 * Rows in the binary format of PostgreSQL's {@code COPY … FROM STDIN WITH (FORMAT binary)}: a signature, then per row
 * the field count and each field as its length and bytes ({@code -1} for null), then {@code -1}. Nothing is escaped or
 * formatted as text on either side: ids, numbers and times go as their binary values, and an event's payload, already
 * canonical UTF-8, is copied as it is (a {@code json} value's binary form is its text).
 */
final class CopyBinary {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};

    /** PostgreSQL counts time from 2000-01-01 00:00 UTC, in microseconds. */
    private static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;

    private byte[] bytes;

    private int count;

    private boolean finished;

    CopyBinary(int capacity) {
        bytes = new byte[Math.max(64, capacity)];
        put(SIGNATURE, 0, SIGNATURE.length);
        putInt(0); // flags: no OIDs
        putInt(0); // no header extension
    }

    /** Starts a row of {@code fields} fields. */
    CopyBinary row(int fields) {
        putShort(fields);
        return this;
    }

    CopyBinary uuid(UUID value) {
        putInt(16);
        putLong(value.getMostSignificantBits());
        putLong(value.getLeastSignificantBits());
        return this;
    }

    CopyBinary int8(long value) {
        putInt(8);
        putLong(value);
        return this;
    }

    CopyBinary timestamptz(OffsetDateTime value) {
        long micros = Math.addExact(
                Math.multiplyExact(value.toEpochSecond() - POSTGRES_EPOCH_SECONDS, 1_000_000L), value.getNano() / 1000);
        return int8(micros);
    }

    /** A text value ({@code text}, {@code varchar}), or {@code null}. */
    CopyBinary text(String value) {
        if (value == null) {
            putInt(-1);
            return this;
        }
        return utf8(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A value already encoded as UTF-8 text ({@code text}, {@code json}). */
    CopyBinary utf8(byte[] value) {
        putInt(value.length);
        put(value, 0, value.length);
        return this;
    }

    /** The whole stream, trailer included; no rows can follow. */
    InputStream stream() {
        finish();
        return new ByteArrayInputStream(bytes, 0, count);
    }

    byte[] toByteArray() {
        finish();
        return Arrays.copyOf(bytes, count);
    }

    private void finish() {
        if (!finished) {
            putShort(-1);
            finished = true;
        }
    }

    private void putShort(int v) {
        ensure(2);
        bytes[count++] = (byte) (v >>> 8);
        bytes[count++] = (byte) v;
    }

    private void putInt(int v) {
        ensure(4);
        bytes[count++] = (byte) (v >>> 24);
        bytes[count++] = (byte) (v >>> 16);
        bytes[count++] = (byte) (v >>> 8);
        bytes[count++] = (byte) v;
    }

    private void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }

    private void put(byte[] from, int start, int length) {
        ensure(length);
        System.arraycopy(from, start, bytes, count, length);
        count += length;
    }

    private void ensure(int more) {
        if (finished) {
            throw new IllegalStateException("the COPY stream is finished");
        }
        if (bytes.length - count < more) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, count + more));
        }
    }
}
