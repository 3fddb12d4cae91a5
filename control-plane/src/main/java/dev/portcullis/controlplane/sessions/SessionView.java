package dev.portcullis.controlplane.sessions;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A recorded session as the API shows it.
 *
 * @param id the session id the proxy gave it
 * @param subject who: the token's subject
 * @param groups the caller's groups when the session started
 * @param clientId the OAuth client the token was issued to, if any
 * @param connection the connection used
 * @param type the connection's type ({@code HTTP}, {@code KUBERNETES}, {@code POSTGRES})
 * @param proxyNode the proxy node that recorded it
 * @param startedAt when it started
 * @param endedAt when it ended, {@code null} while open (or when its end never arrived)
 * @param endReason why it ended ({@code idle}, {@code revoked}, {@code closed})
 * @param counts verdicts and masked values in it
 * @param eventCount how many events are stored
 * @param chainValid whether every event arrived in order and linked; {@code false} once a fault was seen
 * @param firstBadSeq the first faulty sequence number seen at ingest, {@code null} when valid
 * @param legalHold whether retention must keep it
 */
public record SessionView(
        UUID id,
        String subject,
        List<String> groups,
        String clientId,
        String connection,
        String type,
        String proxyNode,
        Instant startedAt,
        Instant endedAt,
        String endReason,
        Counts counts,
        long eventCount,
        boolean chainValid,
        Long firstBadSeq,
        boolean legalHold) {

    /**
     * What happened in a session, counted at ingest.
     *
     * @param allowed {@code policy.decision} events with verdict ALLOW
     * @param blocked with verdict BLOCK
     * @param reviewed with verdict REVIEW
     * @param masked values masked in responses
     */
    public record Counts(long allowed, long blocked, long reviewed, long masked) {}
}
