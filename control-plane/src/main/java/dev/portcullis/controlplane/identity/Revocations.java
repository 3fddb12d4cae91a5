package dev.portcullis.controlplane.identity;

import dev.portcullis.controlplane.system.SnapshotVersions;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Subjects whose access is cut. A revoked subject is refused by the API at once and listed in the policy snapshot, so
 * every proxy refuses it within seconds, whether or not its token has expired.
 */
@Service
public class Revocations {

    /** How long the API trusts its cached list; a disable takes effect here within this time. */
    static final Duration CACHE_TTL = Duration.ofSeconds(1);

    private final JdbcClient jdbc;

    private final SnapshotVersions snapshotVersions;

    private final Clock clock;

    private volatile Set<String> cached = Set.of();

    private volatile Instant cachedAt = Instant.EPOCH;

    Revocations(JdbcClient jdbc, SnapshotVersions snapshotVersions, Clock clock) {
        this.jdbc = jdbc;
        this.snapshotVersions = snapshotVersions;
        this.clock = clock;
    }

    /** Cuts a subject off; bumps the snapshot so proxies learn it on their next (long-)poll. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void revoke(String subject, String reason, String by) {
        jdbc.sql("insert into revocations (subject, reason, revoked_at, revoked_by) values (?, ?, ?, ?)"
                        + " on conflict (subject) do update set reason = excluded.reason,"
                        + " revoked_at = excluded.revoked_at, revoked_by = excluded.revoked_by")
                .params(subject, reason, Timestamp.from(Instant.now(clock)), by)
                .update();
        snapshotVersions.bump();
        invalidate();
    }

    /** Lifts a revocation. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void restore(String subject) {
        jdbc.sql("delete from revocations where subject = ?").param(subject).update();
        snapshotVersions.bump();
        invalidate();
    }

    /** Every revoked subject, sorted. */
    @Transactional(readOnly = true)
    public List<String> subjects() {
        return jdbc.sql("select subject from revocations order by subject")
                .query(String.class)
                .list();
    }

    /** Whether a subject is revoked, from a list at most {@link #CACHE_TTL} old. */
    public boolean isRevoked(String subject) {
        Instant now = Instant.now(clock);
        if (now.isAfter(cachedAt.plus(CACHE_TTL))) {
            cached = Set.copyOf(jdbc.sql("select subject from revocations")
                    .query(String.class)
                    .list());
            cachedAt = now;
        }
        return cached.contains(subject);
    }

    private void invalidate() {
        cachedAt = Instant.EPOCH;
    }
}
