package dev.portcullis.recording;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
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
        return hashOf(session, seq, type, atMicros, CanonicalJson.write(payload), prevHash);
    }

    /**
     * The hash of an event whose payload is already in canonical form: what a recorder computes under its session's
     * lock, having canonicalized the payload before taking it.
     *
     * @param payloadJson the payload's canonical JSON ({@link CanonicalJson#writeWithoutNul})
     * @return the SHA-256, hex, of the canonical bytes
     */
    public static String hashOf(
            UUID session, long seq, String type, long atMicros, String payloadJson, String prevHash) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of()
                    .formatHex(sha256.digest(covered(session, seq, type, atMicros, payloadJson, prevHash)
                            .getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * The bytes the hash covers: the canonical JSON of {@code {at, payload, prev, seq, session, type}}.
     *
     * @return the canonical bytes
     */
    public static byte[] canonicalBytes(
            UUID session, long seq, String type, long atMicros, Map<String, Object> payload, String prevHash) {
        return covered(session, seq, type, atMicros, CanonicalJson.write(payload), prevHash)
                .getBytes(StandardCharsets.UTF_8);
    }

    // Keys in canonical (sorted) order, the payload spliced in as it is: the same text CanonicalJson writes for the
    // whole object.
    private static String covered(
            UUID session, long seq, String type, long atMicros, String payloadJson, String prevHash) {
        StringBuilder out = new StringBuilder(payloadJson.length() + 200);
        out.append("{\"at\":")
                .append(atMicros)
                .append(",\"payload\":")
                .append(payloadJson)
                .append(",\"prev\":");
        appendNullable(out, prevHash);
        return closeWith(out, seq, session, type);
    }

    /**
     * One spool line for an event whose payload is already canonical: the text {@link #toJson()} gives.
     *
     * @return the JSON text, without a line break
     */
    public static String line(
            UUID session, long seq, String type, long atMicros, String payloadJson, String prevHash, String hash) {
        StringBuilder out = new StringBuilder(payloadJson.length() + 300);
        out.append("{\"at\":").append(atMicros).append(",\"hash\":");
        CanonicalJson.appendString(out, hash);
        out.append(",\"payload\":").append(payloadJson).append(",\"prevHash\":");
        appendNullable(out, prevHash);
        return closeWith(out, seq, session, type);
    }

    // The keys both forms end with, in canonical order, and the closing brace.
    private static String closeWith(StringBuilder out, long seq, UUID session, String type) {
        out.append(",\"seq\":").append(seq).append(",\"session\":");
        CanonicalJson.appendString(out, session.toString());
        out.append(",\"type\":");
        CanonicalJson.appendString(out, type);
        return out.append('}').toString();
    }

    private static void appendNullable(StringBuilder out, String value) {
        if (value == null) {
            out.append("null");
        } else {
            CanonicalJson.appendString(out, value);
        }
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
        return line(session, seq, type, atMicros, CanonicalJson.write(payload), prevHash, hash);
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
