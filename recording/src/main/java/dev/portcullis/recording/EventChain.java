package dev.portcullis.recording;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The recording side of one session's chain: numbers, stamps and hashes each event and gives its spool line, the text
 * {@link SessionEvent#toJson()} gives followed by a line break.
 *
 * <p>An event's payload is encoded once, by {@link #encode}, into a buffer of the encoding thread with room left in
 * front of it. {@link #append} then writes the hashed form's head and tail around those bytes and hashes them where
 * they are, and rewrites the head and tail into the spool line's, so that the payload is neither copied out nor
 * copied in again, and the only array made is the line itself.
 *
 * <p>{@link #encode} may run on any thread, outside whatever lock serializes the session; {@link #append} is not
 * thread-safe (the caller serializes it) and must run on the thread that encoded the payload, before that thread
 * encodes another.
 */
public final class EventChain {

    /**
     * Room kept in front of an encoded payload for the longest head: {@code {"at":}, a long, {@code ,"hash":"}, 64 hex
     * digits and {@code ","payload":}.
     */
    static final int HEAD_ROOM = 128;

    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};

    /** Each thread's buffer for the payload and the line around it. */
    private static final ThreadLocal<Utf8Sink> LINE = new ThreadLocal<>();

    /** Each thread's buffer for a head, built before it is put in front of the payload. */
    private static final ThreadLocal<Utf8Sink> HEAD = new ThreadLocal<>();

    /** One digest per thread, reset by each use: a recorder hashes every event it records. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    });

    /** A payload encoded on this thread, for the next {@link #append} on it. */
    public static final class Payload {

        private final Utf8Sink sink;

        /** Which use of the buffer it is: the thread's next encoding makes it stale. */
        private final int use;

        /** Where its bytes end; they start at {@link #HEAD_ROOM}. */
        private final int end;

        private Payload(Utf8Sink sink) {
            this.sink = sink;
            this.use = sink.use();
            this.end = sink.length();
        }

        Utf8Sink sink() {
            return sink;
        }

        int end() {
            return end;
        }
    }

    /** The session id as a JSON string, {@code "…"}, in ASCII. */
    private final byte[] sessionJson;

    private long lastSeq;

    /** The last event's hash as a JSON string, {@code "…"} around 64 hex digits; {@code null} before the first. */
    private byte[] lastHash;

    /** Starts the chain of a new session. */
    public EventChain(UUID session) {
        this.sessionJson = sessionJson(Objects.requireNonNull(session, "session"));
    }

    /** The last event's sequence number; 0 before the first. */
    public long lastSeq() {
        return lastSeq;
    }

    /** The last event's hash, hex; {@code null} before the first. */
    public String lastHash() {
        return lastHash == null ? null : new String(lastHash, 1, lastHash.length - 2, StandardCharsets.US_ASCII);
    }

    /**
     * Encodes an event payload in canonical form into this thread's buffer.
     *
     * @param payload the payload; read now, not kept
     * @return the encoded payload, valid for one {@link #append} on this thread until the thread encodes again
     * @throws IllegalArgumentException as {@link CanonicalJson#write}: a value that is not JSON; and for a string
     *     holding U+0000, which PostgreSQL's {@code jsonb} cannot store (auditors query payloads as jsonb)
     */
    public static Payload encode(Map<String, Object> payload) {
        return encode(payload, false);
    }

    /** As {@link #encode(Map)}; {@code nul} says whether U+0000 may occur (escaped) or is refused. */
    static Payload encode(Object payload, boolean nul) {
        Utf8Sink out = Utf8Sink.scratch(LINE);
        out.skip(HEAD_ROOM);
        CanonicalJson.append(out, payload, nul);
        return new Payload(out);
    }

    /** Puts already canonical payload bytes in this thread's buffer, as {@link #encode} would have. */
    static Payload encoded(byte[] payloadUtf8) {
        Utf8Sink out = Utf8Sink.scratch(LINE);
        out.skip(HEAD_ROOM).bytes(payloadUtf8);
        return new Payload(out);
    }

    /**
     * Appends the next event: numbers it, hashes it over the last event's hash, and gives its spool line.
     *
     * @param type the event type
     * @param atMicros when it happened, microseconds since the epoch
     * @param payload the payload, encoded on this thread by {@link #encode} and not since
     * @return the spool line as UTF-8, ending in {@code \n}: {@link SessionEvent#toJson()} of the event, and a line break
     * @throws IllegalStateException if {@code payload} is not this thread's latest encoding
     */
    public byte[] append(String type, long atMicros, Payload payload) {
        Utf8Sink out = payload.sink();
        if (LINE.get() != out || out.use() != payload.use) {
            throw new IllegalStateException(
                    "an encoded payload is appended on the thread that encoded it, before that thread encodes another");
        }
        long seq = lastSeq + 1;
        byte[] hex = hash(out, payload.end(), sessionJson, seq, type, atMicros, lastHash);
        byte[] hash = new byte[hex.length + 2];
        hash[0] = '"';
        System.arraycopy(hex, 0, hash, 1, hex.length);
        hash[hash.length - 1] = '"';
        byte[] line = line(out, payload.end(), sessionJson, seq, type, atMicros, lastHash, hash);
        // Spent: handing the buffer out afresh makes this encoding stale, so it cannot be chained twice.
        Utf8Sink.scratch(LINE);
        lastSeq = seq;
        lastHash = hash;
        return line;
    }

    /**
     * Writes the hashed form of an event around its payload, which sits in {@code out} from {@link #HEAD_ROOM} to
     * {@code end}: {@code {"at", "payload", "prev", "seq", "session", "type"}} in canonical form.
     *
     * @param sessionJson the session id as a JSON string
     * @param prev the previous event's hash as a JSON string, or {@code null} for the first event
     * @return where the form starts in {@code out}; it ends at {@code out.length()}
     */
    static int covered(Utf8Sink out, int end, byte[] sessionJson, long seq, String type, long at, byte[] prev) {
        Utf8Sink head = Utf8Sink.scratch(HEAD).ascii("{\"at\":").number(at).ascii(",\"payload\":");
        int start = putHead(out, head);
        out.truncate(end);
        closeWith(nullable(out.ascii(",\"prev\":"), prev), seq, sessionJson, type);
        return start;
    }

    /**
     * The hash of an event whose payload sits in {@code out} from {@link #HEAD_ROOM} to {@code end}: the SHA-256 of its
     * {@link #covered} form, hashed where it is built.
     *
     * @return the hash as 64 hex digits in ASCII
     */
    static byte[] hash(Utf8Sink out, int end, byte[] sessionJson, long seq, String type, long at, byte[] prev) {
        int start = covered(out, end, sessionJson, seq, type, at, prev);
        MessageDigest sha256 = SHA256.get();
        sha256.reset();
        sha256.update(out.array(), start, out.length() - start);
        byte[] digest = sha256.digest();
        byte[] hex = new byte[2 * digest.length];
        for (int i = 0; i < digest.length; i++) {
            hex[2 * i] = HEX[(digest[i] >> 4) & 0xf];
            hex[2 * i + 1] = HEX[digest[i] & 0xf];
        }
        return hex;
    }

    /**
     * The spool line of an event whose payload sits in {@code out} from {@link #HEAD_ROOM} to {@code end}: {@code
     * {"at", "hash", "payload", "prevHash", "seq", "session", "type"}} in canonical form and a line break.
     *
     * @param prev the previous event's hash as a JSON string, or {@code null} for the first event
     * @param hash this event's hash as a JSON string
     */
    static byte[] line(
            Utf8Sink out, int end, byte[] sessionJson, long seq, String type, long at, byte[] prev, byte[] hash) {
        Utf8Sink head = Utf8Sink.scratch(HEAD)
                .ascii("{\"at\":")
                .number(at)
                .ascii(",\"hash\":")
                .bytes(hash)
                .ascii(",\"payload\":");
        int start = putHead(out, head);
        out.truncate(end);
        closeWith(nullable(out.ascii(",\"prevHash\":"), prev), seq, sessionJson, type)
                .ascii('\n');
        return Arrays.copyOfRange(out.array(), start, out.length());
    }

    /** Copies a head in front of the payload, ending where it starts; returns where the head starts. */
    private static int putHead(Utf8Sink out, Utf8Sink head) {
        int start = HEAD_ROOM - head.length();
        System.arraycopy(head.array(), 0, out.array(), start, head.length());
        return start;
    }

    // The keys both forms end with, in canonical order, and the closing brace.
    private static Utf8Sink closeWith(Utf8Sink out, long seq, byte[] sessionJson, String type) {
        out.ascii(",\"seq\":").number(seq).ascii(",\"session\":").bytes(sessionJson);
        return out.ascii(",\"type\":").string(type, true).ascii('}');
    }

    private static Utf8Sink nullable(Utf8Sink out, byte[] json) {
        return json == null ? out.ascii("null") : out.bytes(json);
    }

    /** A session id as the JSON string both forms hold. */
    static byte[] sessionJson(UUID session) {
        return ("\"" + session + "\"").getBytes(StandardCharsets.US_ASCII);
    }
}
