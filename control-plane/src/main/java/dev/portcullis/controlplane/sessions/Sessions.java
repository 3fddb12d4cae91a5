package dev.portcullis.controlplane.sessions;

import dev.portcullis.controlplane.audit.AuditLog;
import dev.portcullis.controlplane.system.ApiException;
import dev.portcullis.controlplane.system.PageView;
import dev.portcullis.recording.ChainVerifier;
import dev.portcullis.recording.SessionEvent;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;

/** Recorded sessions as auditors read them: search, events, verification of what is stored, legal hold. */
@Service
public class Sessions {

    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final SessionStore store;

    private final AuditLog auditLog;

    Sessions(SessionStore store, AuditLog auditLog) {
        this.store = store;
        this.auditLog = auditLog;
    }

    /** Sessions matching a query, newest first. */
    @Transactional(readOnly = true)
    public PageView<SessionView> search(SessionQuery query, int page, int size) {
        List<SessionView> items = store.search(query, page, size);
        long total = items.size() < size && (page == 0 || !items.isEmpty())
                ? (long) page * size + items.size()
                : store.count(query);
        return new PageView<>(items, page, size, total, (int) ((total + size - 1) / size));
    }

    @Transactional(readOnly = true)
    public SessionView get(UUID id) {
        return store.find(id).orElseThrow(() -> notFound(id));
    }

    /** Up to {@code limit} events after {@code afterSeq}, in sequence order. */
    @Transactional(readOnly = true)
    public EventPage events(UUID id, long afterSeq, int limit) {
        SessionStore.ChainEnd end = store.chainEnd(id).orElseThrow(() -> notFound(id));
        List<SessionStore.StoredEvent> stored = store.events(id, end.startedAt(), afterSeq, limit + 1);
        boolean more = stored.size() > limit;
        List<EventView> items = new ArrayList<>(Math.min(stored.size(), limit));
        for (SessionStore.StoredEvent e : stored.subList(0, Math.min(stored.size(), limit))) {
            items.add(new EventView(
                    e.seq(),
                    e.type(),
                    MICROS.format(Instant.EPOCH.plus(e.atMicros(), ChronoUnit.MICROS)),
                    e.atMicros(),
                    EventBatchReader.JSON.readValue(e.payloadJson(), MAP),
                    e.prevHash(),
                    e.hash()));
        }
        return new EventPage(items, more ? items.get(items.size() - 1).seq() : null);
    }

    /**
     * Verifies a session's chain from what is stored now: every event re-hashed from its stored parts in sequence
     * order, and the last one checked against what the session recorded at ingest, so deleted tail events show.
     */
    @Transactional(readOnly = true)
    public ChainVerifier.Result verify(UUID id) {
        SessionStore.ChainEnd end = store.chainEnd(id).orElseThrow(() -> notFound(id));
        ChainVerifier verifier = new ChainVerifier();
        store.streamEvents(id, end.startedAt(), stored -> verifier.accept(toEvent(id, stored)));
        return verifier.finish(end.lastSeq(), end.lastHash());
    }

    private static SessionEvent toEvent(UUID id, SessionStore.StoredEvent stored) {
        Map<String, Object> payload;
        try {
            payload = EventBatchReader.JSON.readValue(stored.payloadJson(), MAP);
        } catch (RuntimeException e) {
            payload = Map.of("unreadable", stored.payloadJson());
        }
        try {
            return new SessionEvent(
                    id, stored.seq(), stored.type(), stored.atMicros(), payload, stored.prevHash(), stored.hash());
        } catch (IllegalArgumentException | NullPointerException e) {
            // A row no ingest could have written: it verifies as an altered event at its place.
            return new SessionEvent(
                    id,
                    Math.max(1, stored.seq()),
                    "unreadable",
                    stored.atMicros(),
                    Map.of(),
                    stored.prevHash(),
                    String.valueOf(stored.hash()));
        }
    }

    /** Puts a session under legal hold, or releases it; retention never purges a session under hold. */
    @Transactional
    public SessionView setLegalHold(UUID id, boolean legalHold) {
        SessionView before = get(id);
        store.setLegalHold(id, legalHold);
        SessionView after = get(id);
        auditLog.record(
                legalHold ? "session.legal-hold" : "session.legal-hold-release",
                "session",
                id.toString(),
                Map.of("legalHold", before.legalHold()),
                Map.of("legalHold", after.legalHold()));
        return after;
    }

    private static ApiException.NotFound notFound(UUID id) {
        return new ApiException.NotFound("Session", id.toString());
    }
}
