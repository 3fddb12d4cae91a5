package dev.portcullis.proxy.recording;

import dev.portcullis.recording.EventChain;
import dev.portcullis.recording.EventTypes;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One live session: its events are numbered and chained in the order {@link #record} is called, even when requests
 * of the session run at the same time. Obtained from {@link SessionRecorder#open}; ends on idle, revocation, shutdown
 * or {@link #end}. Recording never blocks an event-loop thread: it hashes the event and queues it for the spool.
 */
public final class RecordedSession {

    private final UUID id = UUID.randomUUID();

    /** Numbers and hashes the events; guarded by {@link #lock}. */
    private final EventChain chain = new EventChain(id);

    private final String key;

    private final String subject;

    private final SessionRecorder recorder;

    /** Serializes appends, so that sequence order is chain order is spool order. */
    final ReentrantLock lock = new ReentrantLock();

    private volatile boolean ended;

    private volatile Instant lastActivity;

    RecordedSession(String key, String subject, SessionRecorder recorder) {
        this.key = key;
        this.subject = subject;
        this.recorder = recorder;
        this.lastActivity = recorder.now();
    }

    /** The session's id, which every event carries. */
    public UUID id() {
        return id;
    }

    /** The key it was opened under (token and connection). */
    public String key() {
        return key;
    }

    /** Who the session belongs to, from its {@code session.start}. */
    public String subject() {
        return subject;
    }

    /** Whether the session has ended; an ended session records nothing more. */
    public boolean isEnded() {
        return ended;
    }

    /** How many events the session has recorded. */
    public long eventCount() {
        lock.lock();
        try {
            return chain.lastSeq();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Appends the next event, stamped with the current time in microseconds and chained to the event before it.
     *
     * @param type the event type ({@link EventTypes}); not {@code session.start} or {@code session.end}, which the
     *     session writes itself
     * @param payload the event's fields (see {@link dev.portcullis.recording}); read now, not kept
     * @return {@code true} if recorded; {@code false} if the session had already ended (idle, revoked or closed), in
     *     which case nothing is recorded: open a new session for later events
     * @throws IllegalArgumentException for a start or end type, or a payload that cannot be recorded
     */
    public boolean record(String type, Map<String, Object> payload) {
        if (EventTypes.SESSION_START.equals(type) || EventTypes.SESSION_END.equals(type)) {
            throw new IllegalArgumentException(type + " is written by the session itself");
        }
        return append(type, payload, false);
    }

    /**
     * Ends the session with {@code session.end}.
     *
     * @param reason why: {@code idle}, {@code revoked} or {@code closed}
     * @return {@code false} if it had ended already
     */
    public boolean end(String reason) {
        boolean done = append(EventTypes.SESSION_END, Map.of("reason", reason), true);
        if (done) {
            recorder.forget(this);
        }
        return done;
    }

    /** Marks the session active now; {@code false} if it has ended. */
    boolean touch() {
        if (ended) {
            return false;
        }
        lastActivity = recorder.now();
        return true;
    }

    /** Ends the session as idle if it has had no activity since {@code cutoff}. */
    boolean endIfIdleSince(Instant cutoff) {
        lock.lock();
        try {
            if (ended || lastActivity.isAfter(cutoff)) {
                return false;
            }
            return end("idle");
        } finally {
            lock.unlock();
        }
    }

    /** Writes {@code session.start}; the caller holds the lock, so no other event can come first. */
    void start(Map<String, Object> payload) {
        append(EventTypes.SESSION_START, payload, false);
    }

    private boolean append(String type, Map<String, Object> payload, boolean last) {
        // The costly part, the payload's canonical form, is done before the lock: requests of one session on
        // different event-loop threads then wait on each other only for the chaining itself. The encoding is this
        // thread's until it encodes again, which it does not before the append below.
        EventChain.Payload encoded = recorder.enabled() ? EventChain.encode(payload) : null;
        lock.lock();
        try {
            if (ended) {
                return false;
            }
            Instant now = recorder.now();
            if (!recorder.enabled()) {
                lastActivity = now;
                ended = last;
                return true;
            }
            long atMicros = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1000);
            // Queued under the lock: the spool receives this session's events in sequence order.
            recorder.spool(chain.append(type, atMicros, encoded));
            lastActivity = now;
            if (last) {
                ended = true;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Marks a session whose start could not be recorded as ended, so nothing follows a missing start. */
    void abandon() {
        ended = true;
    }

    @Override
    public String toString() {
        return "RecordedSession[" + id + ", subject=" + subject + "]";
    }
}
