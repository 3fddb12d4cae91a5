package dev.portcullis.recording;

import java.util.Objects;
import java.util.Optional;

/**
 * Checks a session's chain one event at a time, in sequence order: each event must carry the next sequence number,
 * the previous event's hash, and the hash of its own parts. Feed it the events as stored, then {@link #finish} with
 * what the session says its last event was, so that events missing at the end show too.
 */
public final class ChainVerifier {

    /**
     * The outcome of a verification.
     *
     * @param valid whether every event checked out
     * @param eventCount how many events were checked
     * @param firstBadSeq the first sequence number that is missing, out of place, altered or wrongly linked; {@code
     *     null} when valid
     * @param problem what is wrong there, {@code null} when valid
     */
    public record Result(boolean valid, long eventCount, Long firstBadSeq, String problem) {}

    private long lastSeq;

    private String lastHash;

    private long count;

    private Long firstBadSeq;

    private String problem;

    /** Starts at the beginning of a session. */
    public ChainVerifier() {
        this(0, null);
    }

    /**
     * Continues a chain already checked up to {@code lastSeq}, whose event had {@code lastHash}.
     *
     * @param lastSeq the last sequence number checked, 0 for none
     * @param lastHash that event's hash, {@code null} for none
     */
    public ChainVerifier(long lastSeq, String lastHash) {
        this.lastSeq = lastSeq;
        this.lastHash = lastHash;
    }

    /**
     * Checks the next event. After the first fault the verifier keeps counting but reports only that fault.
     *
     * @param event the event stored after the last one checked
     * @return what is wrong with it, empty when it is the right next event
     */
    public Optional<String> accept(SessionEvent event) {
        return accept(event, CanonicalJson.bytes(event.payload()));
    }

    /**
     * Checks the next event whose payload's canonical form the caller already has (to write it once only).
     *
     * @param event the event stored after the last one checked
     * @param payloadUtf8 {@code CanonicalJson.bytes(event.payload())}
     * @return what is wrong with it, empty when it is the right next event
     */
    public Optional<String> accept(SessionEvent event, byte[] payloadUtf8) {
        count++;
        String fault = faultOf(event, payloadUtf8);
        if (fault != null && firstBadSeq == null) {
            firstBadSeq = event.seq() > lastSeq + 1 ? lastSeq + 1 : event.seq();
            problem = fault;
        }
        lastSeq = event.seq();
        lastHash = event.hash();
        return Optional.ofNullable(fault);
    }

    private String faultOf(SessionEvent event, byte[] payloadUtf8) {
        if (event.seq() > lastSeq + 1) {
            return "event " + (lastSeq + 1) + " is missing";
        }
        if (event.seq() != lastSeq + 1) {
            return "event " + event.seq() + " is out of order after " + lastSeq;
        }
        if (!Objects.equals(event.prevHash(), lastHash)) {
            return "event " + event.seq() + " is not linked to the event before it";
        }
        if (!event.hash()
                .equals(SessionEvent.hashOf(
                        event.session(), event.seq(), event.type(), event.atMicros(), payloadUtf8, event.prevHash()))) {
            return "event " + event.seq() + " does not match its hash";
        }
        return null;
    }

    /**
     * The result once every stored event was fed.
     *
     * @param expectedLastSeq the session's last sequence number as recorded when its events arrived, {@code null} if
     *     unknown
     * @param expectedLastHash that event's hash, {@code null} if unknown
     * @return the result
     */
    public Result finish(Long expectedLastSeq, String expectedLastHash) {
        if (firstBadSeq == null && expectedLastSeq != null && lastSeq < expectedLastSeq) {
            firstBadSeq = lastSeq + 1;
            problem = "events " + (lastSeq + 1) + " to " + expectedLastSeq + " are missing";
        }
        if (firstBadSeq == null
                && expectedLastHash != null
                && expectedLastSeq != null
                && lastSeq == expectedLastSeq
                && !expectedLastHash.equals(lastHash)) {
            firstBadSeq = lastSeq;
            problem = "event " + lastSeq + " is not the event that arrived";
        }
        return new Result(firstBadSeq == null, count, firstBadSeq, problem);
    }
}
