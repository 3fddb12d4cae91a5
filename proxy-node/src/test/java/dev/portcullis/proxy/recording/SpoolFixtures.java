package dev.portcullis.proxy.recording;

import dev.portcullis.recording.ChainVerifier;
import dev.portcullis.recording.SessionEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Reading a spool back in tests. */
final class SpoolFixtures {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SpoolFixtures() {}

    /** Every visible line after the cursor, acknowledging as it goes. */
    static List<String> drain(EventSpool spool) throws InterruptedException {
        List<String> lines = new ArrayList<>();
        while (true) {
            EventSpool.Batch batch = spool.awaitBatch(1000, 4L << 20, Duration.ZERO);
            if (batch.isEmpty()) {
                return lines;
            }
            lines.addAll(batch.lines());
            spool.acknowledge(batch);
        }
    }

    static SessionEvent parse(String line) {
        return SessionEvent.fromMap(JSON.readValue(line, new TypeReference<Map<String, Object>>() {}));
    }

    static List<SessionEvent> parse(List<String> lines) {
        return lines.stream().map(SpoolFixtures::parse).toList();
    }

    /** Events grouped by session, in the order given. */
    static Map<UUID, List<SessionEvent>> bySession(List<SessionEvent> events) {
        Map<UUID, List<SessionEvent>> sessions = new LinkedHashMap<>();
        for (SessionEvent event : events) {
            sessions.computeIfAbsent(event.session(), id -> new ArrayList<>()).add(event);
        }
        return sessions;
    }

    static ChainVerifier.Result verify(List<SessionEvent> chain) {
        ChainVerifier verifier = new ChainVerifier();
        chain.forEach(verifier::accept);
        return verifier.finish(null, null);
    }

    /** A chain of {@code count} events of one new session, as spooled lines. */
    static List<String> chain(int count, long atMicros) {
        UUID session = UUID.randomUUID();
        List<String> lines = new ArrayList<>();
        SessionEvent previous = null;
        for (int i = 0; i < count; i++) {
            previous = SessionEvent.next(
                    previous, session, i == 0 ? "session.start" : "http.request", atMicros + i, Map.of("n", i));
            lines.add(previous.toJson());
        }
        return lines;
    }
}
