package dev.portcullis.proxy.recording;

import dev.portcullis.proxy.controlplane.ControlPlaneClient.EventsResponse;
import dev.portcullis.proxy.controlplane.ControlPlaneClient.RefusedException;
import dev.portcullis.recording.SessionEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The control plane's side of event ingest, as far as the proxy can tell: it keeps one copy per (session, seq), and
 * can be made to fail before storing (down) or after storing (the answer is lost).
 */
final class StandInControlPlane {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Fail every request with this status before storing anything; 0: serve. */
    volatile int downWith;

    /** Store the batch, then answer this status as if the answer were lost; 0: answer 200. */
    volatile int loseAnswerWith;

    final AtomicInteger requests = new AtomicInteger();

    final AtomicInteger duplicates = new AtomicInteger();

    final List<String> proxyNodes = new ArrayList<>();

    private final Map<UUID, Map<Long, SessionEvent>> stored = new LinkedHashMap<>();

    /** Arrival order of first copies, to check order per session. */
    private final List<SessionEvent> arrivals = new ArrayList<>();

    synchronized EventsResponse post(String body) {
        requests.incrementAndGet();
        if (downWith != 0) {
            throw new RefusedException(downWith, "stand-in control plane is down");
        }
        Map<String, Object> request = JSON.readValue(body, new TypeReference<Map<String, Object>>() {});
        proxyNodes.add((String) request.get("proxyNode"));
        long accepted = 0;
        long duplicated = 0;
        for (Object item : (List<?>) request.get("events")) {
            @SuppressWarnings("unchecked")
            SessionEvent event = SessionEvent.fromMap((Map<String, Object>) item);
            Map<Long, SessionEvent> session = stored.computeIfAbsent(event.session(), id -> new LinkedHashMap<>());
            if (session.putIfAbsent(event.seq(), event) == null) {
                arrivals.add(event);
                accepted++;
            } else {
                duplicated++;
            }
        }
        duplicates.addAndGet((int) duplicated);
        if (loseAnswerWith != 0) {
            throw new RefusedException(loseAnswerWith, "stand-in control plane lost its answer");
        }
        return new EventsResponse(accepted, duplicated, List.of());
    }

    synchronized int storedCount() {
        return stored.values().stream().mapToInt(Map::size).sum();
    }

    /** Each session's events in the order they first arrived. */
    synchronized Map<UUID, List<SessionEvent>> sessionsInArrivalOrder() {
        return SpoolFixtures.bySession(new ArrayList<>(arrivals));
    }
}
