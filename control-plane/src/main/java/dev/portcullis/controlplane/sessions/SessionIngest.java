package dev.portcullis.controlplane.sessions;

import dev.portcullis.controlplane.audit.AuditLog;
import dev.portcullis.recording.CanonicalJson;
import dev.portcullis.recording.ChainVerifier;
import dev.portcullis.recording.EventTypes;
import dev.portcullis.recording.SessionEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes in batches of session events from proxy nodes. A batch is one transaction: it is stored whole or not at all.
 * Delivery is idempotent by (session, seq). Chains are verified as they arrive, continuing from what each session
 * already holds: a fault is stored as it came, and the session is flagged, logged and audited, never repaired.
 *
 * <p>The work per batch is a fixed number of statements, whatever its size: one lock of the sessions involved, one
 * batch of new session rows, one batched insert of the events, one batched update of the sessions (the counts of a
 * session are aggregated per batch), and a lookup of stored hashes only for re-delivered sequence numbers.
 */
@Service
public class SessionIngest {

    private static final Logger log = LoggerFactory.getLogger(SessionIngest.class);

    static final String UNKNOWN = "unknown";

    private static final Comparator<SessionEvent> ORDER =
            Comparator.comparing(SessionEvent::session).thenComparingLong(SessionEvent::seq);

    private final SessionStore store;

    private final EventPartitions partitions;

    private final AuditLog auditLog;

    private final TransactionTemplate transactions;

    private final Counter ingested;

    private final Counter duplicates;

    private final Counter broken;

    SessionIngest(
            SessionStore store,
            EventPartitions partitions,
            AuditLog auditLog,
            TransactionTemplate transactions,
            MeterRegistry meters) {
        this.store = store;
        this.partitions = partitions;
        this.auditLog = auditLog;
        this.transactions = transactions;
        this.ingested = Counter.builder("portcullis.events.ingested")
                .description("Session events stored")
                .register(meters);
        this.duplicates = Counter.builder("portcullis.events.duplicates")
                .description("Session events delivered again and not stored twice")
                .register(meters);
        this.broken = Counter.builder("portcullis.sessions.broken")
                .description("Sessions flagged because their hash chain is broken")
                .register(meters);
    }

    /**
     * Stores a batch of events.
     *
     * @param proxyNode the node that sent it
     * @param events the events, in any order
     * @return how many were stored, how many were already there, and which sessions this batch found faulty
     */
    public IngestResult ingest(String proxyNode, List<SessionEvent> events) {
        List<SessionEvent> sorted = new ArrayList<>(events);
        sorted.sort(ORDER);
        Map<UUID, List<SessionEvent>> bySession = new LinkedHashMap<>();
        for (SessionEvent event : sorted) {
            bySession.computeIfAbsent(event.session(), id -> new ArrayList<>()).add(event);
        }
        // A new session's row takes the time of its first event: its day's partition should exist before the
        // transaction (creating one locks the events table, which is best done outside a batch holding row locks).
        for (List<SessionEvent> group : bySession.values()) {
            partitions.ensure(dayOf(group.get(0).atMicros()));
        }
        Outcome outcome = transactions.execute(status -> write(proxyNode, bySession));
        ingested.increment(outcome.accepted);
        duplicates.increment(outcome.duplicates);
        broken.increment(outcome.newlyBroken);
        return new IngestResult(outcome.accepted, outcome.duplicates, outcome.broken);
    }

    private record Outcome(int accepted, int duplicates, List<UUID> broken, int newlyBroken) {}

    private record Fault(long seq, String problem) {

        static Fault first(Fault a, Fault b) {
            if (a == null) {
                return b;
            }
            return b == null || a.seq <= b.seq ? a : b;
        }
    }

    /** The payload's canonical JSON as UTF-8: what the hash covers and what is stored, written once per event. */
    private static byte[] canonical(SessionEvent event) {
        return CanonicalJson.bytes(event.payload());
    }

    private Outcome write(String proxyNode, Map<UUID, List<SessionEvent>> bySession) {
        Map<SessionEvent, byte[]> canonical = new IdentityHashMap<>();
        List<UUID> ids = new ArrayList<>(bySession.keySet());
        Map<UUID, SessionStore.ChainState> states = store.lockChains(ids);
        List<SessionStore.NewSession> created = new ArrayList<>();
        for (UUID id : ids) {
            if (!states.containsKey(id)) {
                created.add(newSession(proxyNode, bySession.get(id).get(0)));
            }
        }
        if (!created.isEmpty()) {
            store.insertSessions(created);
            states.putAll(store.lockChains(
                    created.stream().map(SessionStore.NewSession::id).toList()));
        }

        List<SessionStore.EventRow> rows = new ArrayList<>();
        List<SessionStore.SessionDelta> deltas = new ArrayList<>();
        List<UUID> brokenSessions = new ArrayList<>();
        int duplicateCount = 0;
        int newlyBroken = 0;
        for (UUID id : ids) {
            SessionStore.ChainState state = states.get(id);
            List<SessionEvent> fresh = new ArrayList<>();
            List<SessionEvent> late = new ArrayList<>();
            Fault fault = null;
            SessionEvent previous = null;
            for (SessionEvent event : bySession.get(id)) {
                if (previous != null && previous.seq() == event.seq()) {
                    duplicateCount++;
                    if (!previous.hash().equals(event.hash())) {
                        fault = Fault.first(
                                fault,
                                new Fault(
                                        event.seq(),
                                        "event " + event.seq()
                                                + " came twice with different hashes; the first is kept"));
                    }
                    continue;
                }
                previous = event;
                (event.seq() > state.lastSeq() ? fresh : late).add(event);
            }

            List<SessionEvent> stored = new ArrayList<>();
            if (!late.isEmpty()) {
                Map<Long, String> hashes = store.storedHashes(
                        id,
                        state.startedAt(),
                        late.stream().map(SessionEvent::seq).toList());
                for (SessionEvent event : late) {
                    String hash = hashes.get(event.seq());
                    if (hash == null) {
                        // A gap filled late: stored, and the gap was flagged when it showed.
                        stored.add(event);
                    } else {
                        duplicateCount++;
                        if (!hash.equals(event.hash())) {
                            fault = Fault.first(
                                    fault,
                                    new Fault(
                                            event.seq(),
                                            "event " + event.seq()
                                                    + " came again with a different hash; the stored one is kept"));
                        }
                    }
                }
            }

            ChainVerifier verifier = new ChainVerifier(state.lastSeq(), state.lastHash());
            fresh.forEach(event -> verifier.accept(event, canonical.computeIfAbsent(event, SessionIngest::canonical)));
            ChainVerifier.Result result = verifier.finish(null, null);
            if (!result.valid()) {
                fault = Fault.first(fault, new Fault(result.firstBadSeq(), result.problem()));
            }
            if (state.lastSeq() == 0
                    && (fresh.isEmpty()
                            || fresh.get(0).seq() != 1
                            || !EventTypes.SESSION_START.equals(fresh.get(0).type()))) {
                fault = Fault.first(fault, new Fault(1, "the session's start (event 1, session.start) is missing"));
            }
            stored.addAll(fresh);

            if (!stored.isEmpty() || fault != null) {
                deltas.add(delta(state, stored, fresh, fault, rows, canonical));
            }
            if (fault != null) {
                brokenSessions.add(id);
                if (state.chainValid()) {
                    newlyBroken++;
                }
                log.warn(
                        "Broken session chain: session={} firstBadSeq={} problem={} proxyNode={}",
                        id,
                        fault.seq,
                        fault.problem,
                        proxyNode);
                auditLog.record(
                        "session.chain-broken",
                        "session",
                        id.toString(),
                        null,
                        Map.of("firstBadSeq", fault.seq, "problem", fault.problem, "proxyNode", proxyNode),
                        fault.problem);
            }
        }
        store.storeEvents(rows);
        store.applyDeltas(deltas);
        return new Outcome(rows.size(), duplicateCount, brokenSessions, newlyBroken);
    }

    private static SessionStore.SessionDelta delta(
            SessionStore.ChainState state,
            List<SessionEvent> stored,
            List<SessionEvent> fresh,
            Fault fault,
            List<SessionStore.EventRow> rows,
            Map<SessionEvent, byte[]> canonical) {
        int allowed = 0;
        int blocked = 0;
        int reviewed = 0;
        long masked = 0;
        OffsetDateTime endedAt = null;
        String endReason = null;
        long lastSeq = state.lastSeq();
        String lastHash = state.lastHash();
        for (SessionEvent event : stored) {
            Map<String, Object> payload = event.payload();
            String verdict = null;
            switch (event.type()) {
                case EventTypes.POLICY_DECISION -> {
                    verdict = clip(text(payload.get("verdict")), 16);
                    if ("ALLOW".equals(verdict)) {
                        allowed++;
                    } else if ("BLOCK".equals(verdict)) {
                        blocked++;
                    } else if ("REVIEW".equals(verdict)) {
                        reviewed++;
                    }
                }
                case EventTypes.HTTP_RESPONSE -> {
                    if (payload.get("masked") instanceof Number n && n.longValue() > 0) {
                        masked += n.longValue();
                    }
                }
                case EventTypes.SESSION_END -> {
                    endedAt = time(event.atMicros());
                    endReason = clip(text(payload.get("reason")), 32);
                }
                default -> {}
            }
            rows.add(new SessionStore.EventRow(
                    event.session(),
                    event.seq(),
                    state.startedAt(),
                    time(event.atMicros()),
                    event.type(),
                    verdict,
                    text(payload.get("command")),
                    canonical.computeIfAbsent(event, SessionIngest::canonical),
                    event.prevHash(),
                    event.hash()));
        }
        if (!fresh.isEmpty()) {
            SessionEvent last = fresh.get(fresh.size() - 1);
            lastSeq = last.seq();
            lastHash = last.hash();
        }
        return new SessionStore.SessionDelta(
                state.id(),
                stored.size(),
                lastSeq,
                lastHash,
                allowed,
                blocked,
                reviewed,
                masked,
                endedAt,
                endReason,
                fault == null ? null : fault.seq);
    }

    /** A session row from its start event, or a placeholder (named from what the first event says, if anything). */
    private static SessionStore.NewSession newSession(String proxyNode, SessionEvent first) {
        Map<String, Object> payload = first.payload();
        List<String> groups = payload.get("groups") instanceof List<?> list
                ? list.stream().filter(Objects::nonNull).map(Object::toString).toList()
                : List.of();
        return new SessionStore.NewSession(
                first.session(),
                orUnknown(clip(text(payload.get("subject")), 255)),
                groups,
                clip(text(payload.get("clientId")), 255),
                orUnknown(clip(text(payload.get("connection")), 63)),
                orUnknown(clip(text(payload.get("connectionType")), 16)),
                Objects.requireNonNullElse(clip(text(payload.get("proxyNode")), 255), proxyNode),
                time(first.atMicros()));
    }

    static OffsetDateTime time(long micros) {
        return OffsetDateTime.ofInstant(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    static LocalDate dayOf(long micros) {
        return time(micros).toLocalDate();
    }

    private static String text(Object value) {
        return value instanceof String s ? s : null;
    }

    private static String orUnknown(String value) {
        return value == null || value.isBlank() ? UNKNOWN : value;
    }

    private static String clip(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
