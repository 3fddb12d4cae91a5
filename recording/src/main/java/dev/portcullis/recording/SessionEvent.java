package dev.portcullis.recording;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One event of a session, linked to the event before it by a SHA-256 hash.
 *
 * @param session the session it belongs to
 * @param seq its place in the session, from 1, without gaps
 * @param type its type, one of {@link EventTypes}
 * @param atMicros when it happened, microseconds since the epoch
 * @param payload what happened, a JSON object (see the package description for the fields per type)
 * @param prevHash the hash of event {@code seq - 1}, {@code null} for the first event
 * @param hash the SHA-256, hex, of this event's {@linkplain #canonicalBytes canonical bytes}
 */
public record SessionEvent(
        UUID session, long seq, String type, long atMicros, Map<String, Object> payload, String prevHash, String hash) {

    /** Each thread's buffer for a hash given as text, written as a JSON string. */
    private static final ThreadLocal<Utf8Sink> SCRATCH = new ThreadLocal<>();

    /**
     * Checks that every part is there; the hash itself is checked by {@link #hashMatches()}.
     *
     * @throws IllegalArgumentException if a part is missing, the sequence number is below 1, or a string in the
     *     payload holds U+0000
     */
    public SessionEvent {
        Objects.requireNonNull(session, "session");
        if (seq < 1) {
            throw new IllegalArgumentException("sequence numbers start at 1, not " + seq);
        }
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("an event needs a type");
        }
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(hash, "hash");
        requireNoNul(payload);
    }

    /**
     * Builds the event that follows {@code previous} in its session.
     *
     * @param previous the session's last event, or {@code null} to start a session
     * @param session the session, which must be {@code previous}'s when there is one
     * @param type the event type
     * @param atMicros when it happened, microseconds since the epoch
     * @param payload what happened
     * @return the event, numbered and hashed
     */
    public static SessionEvent next(
            SessionEvent previous, UUID session, String type, long atMicros, Map<String, Object> payload) {
        if (previous != null && !previous.session.equals(session)) {
            throw new IllegalArgumentException("an event follows an event of its own session");
        }
        long seq = previous == null ? 1 : previous.seq + 1;
        String prevHash = previous == null ? null : previous.hash;
        return new SessionEvent(
                session, seq, type, atMicros, payload, prevHash, hash(session, seq, type, atMicros, payload, prevHash));
    }

    /**
     * The hash an event with these parts must carry.
     *
     * @return the SHA-256, hex, of the canonical bytes
     */
    public static String hash(
            UUID session, long seq, String type, long atMicros, Map<String, Object> payload, String prevHash) {
        return hash(EventChain.encode(payload, true), session, seq, type, atMicros, prevHash);
    }

    /**
     * The hash of an event whose payload is already in canonical form.
     *
     * @param payloadJson the payload's canonical JSON ({@link CanonicalJson#write})
     * @return the SHA-256, hex, of the canonical bytes
     */
    public static String hashOf(
            UUID session, long seq, String type, long atMicros, String payloadJson, String prevHash) {
        return hashOf(session, seq, type, atMicros, payloadJson.getBytes(StandardCharsets.UTF_8), prevHash);
    }

    /**
     * The hash of an event whose payload is already canonical UTF-8.
     *
     * @param payloadUtf8 the payload's canonical JSON as UTF-8 ({@link CanonicalJson#bytes})
     * @return the SHA-256, hex, of the canonical bytes
     */
    public static String hashOf(
            UUID session, long seq, String type, long atMicros, byte[] payloadUtf8, String prevHash) {
        return hash(EventChain.encoded(payloadUtf8), session, seq, type, atMicros, prevHash);
    }

    private static String hash(
            EventChain.Payload payload, UUID session, long seq, String type, long atMicros, String prevHash) {
        byte[] hex = EventChain.hash(
                payload.sink(), payload.end(), EventChain.sessionJson(session), seq, type, atMicros, json(prevHash));
        return new String(hex, StandardCharsets.US_ASCII);
    }

    /**
     * The bytes the hash covers: the canonical JSON of {@code {at, payload, prev, seq, session, type}}.
     *
     * @return the canonical bytes
     */
    public static byte[] canonicalBytes(
            UUID session, long seq, String type, long atMicros, Map<String, Object> payload, String prevHash) {
        EventChain.Payload encoded = EventChain.encode(payload, true);
        Utf8Sink out = encoded.sink();
        int start = EventChain.covered(
                out, encoded.end(), EventChain.sessionJson(session), seq, type, atMicros, json(prevHash));
        return Arrays.copyOfRange(out.array(), start, out.length());
    }

    private static byte[] line(
            EventChain.Payload payload,
            UUID session,
            long seq,
            String type,
            long atMicros,
            String prevHash,
            String hash) {
        return EventChain.line(
                payload.sink(),
                payload.end(),
                EventChain.sessionJson(session),
                seq,
                type,
                atMicros,
                json(prevHash),
                json(hash));
    }

    /** A hash as the JSON value the forms hold: a string, escaped as any (a stored one may be anything), or null. */
    private static byte[] json(String hash) {
        return hash == null
                ? null
                : Utf8Sink.scratch(SCRATCH).string(hash, true).toByteArray();
    }

    /**
     * Whether {@link #hash()} is the hash of this event's parts.
     *
     * @return {@code true} if the event is as it was hashed
     */
    public boolean hashMatches() {
        return hash.equals(hash(session, seq, type, atMicros, payload, prevHash));
    }

    /**
     * This event as one line of canonical JSON: {@code {at, hash, payload, prevHash, seq, session, type}}, the form
     * proxies spool and send.
     *
     * @return the JSON text, without a line break
     */
    public String toJson() {
        byte[] line = line(EventChain.encode(payload, true), session, seq, type, atMicros, prevHash, hash);
        return new String(line, 0, line.length - 1, StandardCharsets.UTF_8);
    }

    /**
     * Reads an event from a JSON object as a JSON library parsed it (the form {@link #toJson()} writes).
     *
     * @param json the parsed object
     * @return the event; its hash is not checked
     * @throws IllegalArgumentException if a part is missing or of the wrong type
     */
    @SuppressWarnings("unchecked")
    public static SessionEvent fromMap(Map<String, ?> json) {
        try {
            Object payload = json.get("payload");
            if (!(payload instanceof Map)) {
                throw new IllegalArgumentException("an event's payload is a JSON object");
            }
            return new SessionEvent(
                    UUID.fromString((String) json.get("session")),
                    ((Number) json.get("seq")).longValue(),
                    (String) json.get("type"),
                    ((Number) json.get("at")).longValue(),
                    (Map<String, Object>) payload,
                    (String) json.get("prevHash"),
                    (String) json.get("hash"));
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("an event needs session, seq, type, at, payload and hash", e);
        }
    }

    private static void requireNoNul(Object value) {
        if (value instanceof CharSequence s) {
            if (s.toString().indexOf('\0') >= 0) {
                throw new IllegalArgumentException("payload strings cannot hold U+0000; carry such data in base64");
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                requireNoNul(e.getKey());
                requireNoNul(e.getValue());
            }
        } else if (value instanceof Collection<?> list) {
            list.forEach(SessionEvent::requireNoNul);
        }
    }

    @Override
    public String toString() {
        return "SessionEvent[" + session + "#" + seq + " " + type + "]";
    }
}
