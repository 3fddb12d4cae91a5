package dev.portcullis.controlplane.sessions;

import dev.portcullis.recording.EventTypes;
import dev.portcullis.recording.SessionEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** Builds real hash chains as a proxy node would, and the batch bodies that carry them. */
final class TestSessions {

    private final UUID id = UUID.randomUUID();

    private final List<SessionEvent> events = new ArrayList<>();

    private long micros;

    private TestSessions(Instant start) {
        // Microseconds that are not whole milliseconds, so any rounding would show.
        this.micros = ChronoUnit.MICROS.between(Instant.EPOCH, start) / 1000 * 1000 + 123;
    }

    /** A session opened by {@code subject} on {@code connection} at {@code start}. */
    static TestSessions start(String subject, String connection, Instant start) {
        TestSessions session = new TestSessions(start);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("subject", subject);
        payload.put("groups", List.of("ai-agents", "contractors"));
        payload.put("clientId", subject + "-client");
        payload.put("connection", connection);
        payload.put("connectionType", "HTTP");
        payload.put("proxyNode", "proxy-a");
        return session.add(EventTypes.SESSION_START, payload);
    }

    static TestSessions start(String subject, String connection) {
        return start(subject, connection, Instant.now());
    }

    TestSessions request(String method, String path) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("method", method);
        payload.put("path", path);
        payload.put("query", "");
        payload.put("command", method + " " + path);
        payload.put("headers", Map.of("accept", List.of("application/json")));
        payload.put("body", "");
        payload.put("bodyEncoding", "utf-8");
        payload.put("bodySize", 0);
        payload.put("bodyTruncated", false);
        return add(EventTypes.HTTP_REQUEST, payload);
    }

    TestSessions decision(String verdict) {
        return add(
                EventTypes.POLICY_DECISION,
                Map.of("verdict", verdict, "policy", "demo-guardrails", "rule", "r1", "reason", "test"));
    }

    TestSessions response(int status, int masked) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("status", status);
        payload.put("headers", Map.of("content-type", List.of("application/json")));
        payload.put("masked", masked);
        payload.put("body", "{\"email\":\"a***@example.com\"}");
        payload.put("bodyEncoding", "utf-8");
        payload.put("bodySize", 27);
        payload.put("bodyTruncated", false);
        return add(EventTypes.HTTP_RESPONSE, payload);
    }

    TestSessions end(String reason) {
        return add(EventTypes.SESSION_END, Map.of("reason", reason));
    }

    TestSessions add(String type, Map<String, Object> payload) {
        SessionEvent previous = events.isEmpty() ? null : events.get(events.size() - 1);
        events.add(SessionEvent.next(previous, id, type, micros, payload));
        micros += 1_537;
        return this;
    }

    /** The standard six events: start, request, ALLOW, response with two masked values, request, end. */
    static TestSessions sixEvents(String subject, String connection) {
        return start(subject, connection)
                .request("GET", "/customers/42")
                .decision("ALLOW")
                .response(200, 2)
                .request("GET", "/orders/7")
                .end("closed");
    }

    UUID id() {
        return id;
    }

    List<SessionEvent> events() {
        return List.copyOf(events);
    }

    SessionEvent event(long seq) {
        return events.get((int) seq - 1);
    }

    static String batch(List<SessionEvent> events) {
        return "{\"proxyNode\":\"proxy-a\",\"events\":["
                + events.stream().map(SessionEvent::toJson).collect(Collectors.joining(",")) + "]}";
    }

    String batch() {
        return batch(events);
    }
}
