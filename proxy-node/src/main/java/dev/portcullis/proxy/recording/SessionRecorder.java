package dev.portcullis.proxy.recording;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The live sessions of this node and the entry point for recording them. A session is one caller on one connection
 * through this node (for HTTP: one token on one connection); the caller names it by a key and {@link #open} returns
 * the live session for that key, starting one if there is none.
 *
 * <p>Sessions end with {@code session.end}: after {@code portcullis.proxy.recording.session-idle} without activity
 * (reason {@code idle}, from a background sweep), when their subject is cut off ({@link #endSubject}, reason {@code
 * revoked}), and at shutdown (reason {@code closed}). Shutdown runs after the web server has stopped taking requests
 * (a low lifecycle phase), ends every session, writes the spool to disk, and stops delivery; what is undelivered goes
 * out after the next start.
 */
public class SessionRecorder implements SmartLifecycle {

    /** Starts before and stops after the web server (whose phases are just below {@code DEFAULT_PHASE}). */
    static final int PHASE = 0;

    private static final Logger log = LoggerFactory.getLogger(SessionRecorder.class);

    private final ConcurrentHashMap<String, RecordedSession> live = new ConcurrentHashMap<>();

    private final EventSpool spool;

    private final EventDelivery delivery;

    private final Duration idle;

    private final Clock clock;

    private final Counter recorded;

    private volatile boolean running;

    private volatile boolean stopped;

    private ScheduledExecutorService sweeper;

    /**
     * @param spool where events go; {@code null} to record nothing (recording switched off)
     * @param delivery what sends them on; {@code null} when {@code spool} is
     * @param idle how long a session may go without activity
     */
    SessionRecorder(EventSpool spool, EventDelivery delivery, Duration idle, Clock clock, MeterRegistry meters) {
        this.spool = spool;
        this.delivery = delivery;
        this.idle = idle;
        this.clock = clock;
        this.recorded = Counter.builder("portcullis.events.recorded")
                .description("Session events recorded and handed to the spool")
                .register(meters);
        Gauge.builder("portcullis.sessions.live", live, Map::size)
                .description("Sessions open on this node")
                .register(meters);
    }

    /**
     * The live session for {@code key}; when there is none, starts one and records {@code session.start}.
     *
     * @param key what identifies the session to the caller, e.g. token id and connection
     * @param startPayload the {@code session.start} fields ({@code subject, groups, clientId, connection,
     *     connectionType, proxyNode}); used only when the session is new; {@code subject} is required
     * @return the live session
     * @throws SpoolFullException if the session is new and the spool is over its limit
     * @throws IllegalStateException once recording has stopped (shutdown)
     */
    public RecordedSession open(String key, Map<String, Object> startPayload) {
        Objects.requireNonNull(startPayload, "startPayload");
        return open(key, () -> startPayload);
    }

    /**
     * As {@link #open(String, Map)}, with the {@code session.start} fields built only when the session is new: the
     * common case, a request of a live session, then builds nothing.
     *
     * @param startPayload gives the {@code session.start} fields
     * @return the live session
     */
    public RecordedSession open(String key, Supplier<Map<String, Object>> startPayload) {
        return open(key, startPayload, false);
    }

    /**
     * As {@link #open(String, Supplier)}, for an exchange already admitted whose session ended meanwhile (the idle
     * sweep): a full spool does not refuse it, since refusing would drop the rest of an exchange that is already
     * under way. The spool's limit holds new exchanges back; it never loses events of admitted ones.
     *
     * @param startPayload gives the {@code session.start} fields
     * @return the live session
     */
    public RecordedSession reopen(String key, Supplier<Map<String, Object>> startPayload) {
        return open(key, startPayload, true);
    }

    private RecordedSession open(String key, Supplier<Map<String, Object>> startPayload, boolean admitted) {
        Objects.requireNonNull(key, "key");
        while (true) {
            RecordedSession existing = live.get(key);
            if (existing != null) {
                if (existing.touch()) {
                    return existing;
                }
                live.remove(key, existing);
                continue;
            }
            if (stopped) {
                throw new IllegalStateException("Session recording has stopped");
            }
            if (!admitted && spool != null && spool.refusesNewSessions()) {
                throw new SpoolFullException("The event spool is full (" + spool.unacknowledgedBytes()
                        + " bytes not yet accepted by the control plane); refusing new sessions");
            }
            Map<String, Object> start = startPayload.get();
            Object subject = start.get("subject");
            if (subject == null) {
                throw new IllegalArgumentException("session.start needs a subject");
            }
            RecordedSession created = new RecordedSession(key, subject.toString(), this);
            // Locked before it is visible, so that no event of another request comes before its session.start.
            created.lock.lock();
            try {
                if (live.putIfAbsent(key, created) != null) {
                    continue;
                }
                try {
                    created.start(start);
                } catch (RuntimeException e) {
                    created.abandon();
                    live.remove(key, created);
                    throw e;
                }
                log.debug("Session started session={} subject={}", created.id(), created.subject());
                return created;
            } finally {
                created.lock.unlock();
            }
        }
    }

    /**
     * Ends every live session of {@code subject}, e.g. with reason {@code revoked} when its account is disabled.
     *
     * @return how many sessions ended
     */
    public int endSubject(String subject, String reason) {
        int count = 0;
        for (RecordedSession session : live.values()) {
            if (session.subject().equals(subject) && session.end(reason)) {
                count++;
            }
        }
        if (count > 0) {
            log.info("Sessions ended subject={} reason={} count={}", subject, reason, count);
        }
        return count;
    }

    /** How many sessions are live. */
    public int liveSessions() {
        return live.size();
    }

    /** Ends the sessions idle for longer than {@code session-idle}; returns how many. */
    int sweepIdle() {
        Instant cutoff = now().minus(idle);
        int count = 0;
        for (RecordedSession session : live.values()) {
            if (session.endIfIdleSince(cutoff)) {
                count++;
            }
        }
        if (count > 0) {
            log.debug("Idle sessions ended count={}", count);
        }
        return count;
    }

    /** Waits until every event recorded so far is on disk. Not for event-loop threads. */
    boolean flush(Duration timeout) {
        return spool == null || spool.flush(timeout);
    }

    @Override
    public void start() {
        if (spool != null) {
            spool.start();
            delivery.start();
        }
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "session-idle-sweep");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(100, Math.min(idle.toMillis() / 10, 30_000));
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
        running = true;
    }

    @Override
    public void stop() {
        stopped = true;
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        int closed = 0;
        for (RecordedSession session : live.values()) {
            if (session.end("closed")) {
                closed++;
            }
        }
        if (spool != null) {
            if (!spool.flush(Duration.ofSeconds(30))) {
                log.error("Session events could not all be written to the spool before shutdown");
            }
            delivery.stop();
            spool.close();
            log.info(
                    "Session recording stopped: closedSessions={} undeliveredBytes={}",
                    closed,
                    spool.unacknowledgedBytes());
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    boolean enabled() {
        return spool != null;
    }

    Instant now() {
        return clock.instant();
    }

    /** Called by a session under its lock, so the spool gets each session's events in order. */
    void spool(byte[] line) {
        spool.append(line);
        recorded.increment();
    }

    void forget(RecordedSession session) {
        live.remove(session.key(), session);
    }

    private void sweepQuietly() {
        try {
            sweepIdle();
        } catch (RuntimeException e) {
            log.error("The idle session sweep failed", e);
        }
    }
}
