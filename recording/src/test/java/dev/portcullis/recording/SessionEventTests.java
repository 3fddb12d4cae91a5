package dev.portcullis.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SessionEventTests {

    private static final UUID SESSION = UUID.fromString("5b0c1c5e-6a52-4a43-9f0a-0a4c2b0e8b11");

    @Test
    void nextWhenFirstThenSeqOneAndNoPrevious() {
        SessionEvent first = SessionEvent.next(null, SESSION, EventTypes.SESSION_START, 1L, Map.of("subject", "a"));
        SessionEvent second = SessionEvent.next(first, SESSION, EventTypes.SESSION_END, 2L, Map.of("reason", "closed"));

        assertThat(first.seq()).isEqualTo(1);
        assertThat(first.prevHash()).isNull();
        assertThat(first.hash()).hasSize(64).matches("[0-9a-f]+");
        assertThat(second.seq()).isEqualTo(2);
        assertThat(second.prevHash()).isEqualTo(first.hash());
        assertThat(second.hashMatches()).isTrue();
    }

    @Test
    void hashWhenPayloadReorderedOrRetypedAsADatabaseWouldThenSame() {
        Map<String, Object> sent = new LinkedHashMap<>();
        sent.put("status", 200);
        sent.put("headers", Map.of("content-type", "application/json"));
        sent.put("bodySize", 12L);
        Map<String, Object> stored = new TreeMap<>();
        stored.put("bodySize", new BigDecimal("12"));
        stored.put("headers", new TreeMap<>(Map.of("content-type", "application/json")));
        stored.put("status", 200L);

        assertThat(SessionEvent.hash(SESSION, 4, "http.response", 9L, stored, "ab"))
                .isEqualTo(SessionEvent.hash(SESSION, 4, "http.response", 9L, sent, "ab"));
    }

    @Test
    void hashWhenAnyPartChangesThenDifferent() {
        Map<String, Object> payload = Map.of("a", 1);
        String base = SessionEvent.hash(SESSION, 1, "t", 1L, payload, null);
        assertThat(List.of(
                        SessionEvent.hash(UUID.randomUUID(), 1, "t", 1L, payload, null),
                        SessionEvent.hash(SESSION, 2, "t", 1L, payload, null),
                        SessionEvent.hash(SESSION, 1, "u", 1L, payload, null),
                        SessionEvent.hash(SESSION, 1, "t", 2L, payload, null),
                        SessionEvent.hash(SESSION, 1, "t", 1L, Map.of("a", 2), null),
                        SessionEvent.hash(SESSION, 1, "t", 1L, payload, "00")))
                .doesNotContain(base)
                .doesNotHaveDuplicates();
    }

    @Test
    void toJsonThenFromMapWhenRoundTripThenEqualAndValid() {
        SessionEvent event = SessionEvent.next(null, SESSION, EventTypes.HTTP_REQUEST, 42L, Map.of("path", "/x"));
        String json = event.toJson();
        assertThat(json).startsWith("{\"at\":42,\"hash\":\"").doesNotContain("\n");

        Map<String, Object> parsed = new LinkedHashMap<>();
        parsed.put("session", SESSION.toString());
        parsed.put("seq", 1);
        parsed.put("type", EventTypes.HTTP_REQUEST);
        parsed.put("at", 42);
        parsed.put("payload", Map.of("path", "/x"));
        parsed.put("prevHash", null);
        parsed.put("hash", event.hash());
        SessionEvent read = SessionEvent.fromMap(parsed);
        assertThat(read).isEqualTo(event);
        assertThat(read.hashMatches()).isTrue();
    }

    @Test
    void fromMapWhenPartsMissingThenRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> SessionEvent.fromMap(Map.of("session", "x")));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SessionEvent.fromMap(Map.of(
                        "session", SESSION.toString(), "seq", 1, "type", "t", "at", 1, "payload", "no", "hash", "h")));
    }

    @Test
    void newWhenPayloadHoldsNulThenRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SessionEvent.next(null, SESSION, "t", 1L, Map.of("h", List.of("a\0b"))));
    }

    @Test
    void newWhenSeqBelowOneThenRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new SessionEvent(SESSION, 0, "t", 1, Map.of(), null, "h"));
    }

    @Test
    void hashOfAndLineWhenPayloadPreCanonicalizedThenSameAsTheWholeObjectCanonicalized() throws Exception {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("path", "/customers/\"7\"");
        payload.put("headers", Map.of("accept", List.of("a", "b")));
        payload.put("status", 200);
        Map<String, Object> covered = new LinkedHashMap<>();
        covered.put("type", "http.response");
        covered.put("session", SESSION.toString());
        covered.put("seq", 3L);
        covered.put("prev", "ab");
        covered.put("payload", payload);
        covered.put("at", 17L);
        String expected = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(CanonicalJson.bytes(covered)));

        String payloadJson = CanonicalJson.write(payload);
        String hash = SessionEvent.hashOf(SESSION, 3, "http.response", 17L, payloadJson, "ab");
        assertThat(hash).isEqualTo(expected);
        assertThat(SessionEvent.hash(SESSION, 3, "http.response", 17L, payload, "ab"))
                .isEqualTo(expected);

        Map<String, Object> whole = new LinkedHashMap<>(covered);
        whole.remove("prev");
        whole.put("prevHash", "ab");
        whole.put("hash", hash);
        assertThat(new SessionEvent(SESSION, 3, "http.response", 17L, payload, "ab", hash).toJson())
                .isEqualTo(CanonicalJson.write(whole));
        assertThat(SessionEvent.canonicalBytes(SESSION, 3, "http.response", 17L, payload, "ab"))
                .isEqualTo(CanonicalJson.bytes(covered));
    }

    @Test
    void hashOfWhenFirstEventThenPrevIsNullAndDigestIsFreshEachTime() throws Exception {
        Map<String, Object> payload = Map.of("subject", "demo-agent", "note", "caf\u00e9 \uD83D\uDE00");
        Map<String, Object> covered = new LinkedHashMap<>();
        covered.put("at", 5L);
        covered.put("payload", payload);
        covered.put("prev", null);
        covered.put("seq", 1L);
        covered.put("session", SESSION.toString());
        covered.put("type", "session.start");
        String expected = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(CanonicalJson.bytes(covered)));

        String payloadJson = CanonicalJson.write(payload);
        // Twice on one thread: the per-thread digest carries nothing from one event to the next.
        assertThat(SessionEvent.hashOf(SESSION, 1, "session.start", 5L, payloadJson, null))
                .isEqualTo(expected);
        assertThat(SessionEvent.hashOf(SESSION, 1, "session.start", 5L, payloadJson, null))
                .isEqualTo(expected);
    }
}
