package dev.portcullis.controlplane.sessions;

import dev.portcullis.controlplane.system.PortcullisProperties;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Enforces retention: purges whole sessions (events and row) that started before the cut-off and are not under legal
 * hold, drops day partitions that lie wholly before the cut-off and hold no row, and creates the partitions of today
 * and the next two days. Whole sessions go, never part of one, so what remains always verifies.
 *
 * <p>Several control planes may run it: each run takes a transaction-scoped advisory lock and is skipped by every
 * instance that does not get it.
 */
@Service
public class SessionRetention {

    private static final Logger log = LoggerFactory.getLogger(SessionRetention.class);

    /** The advisory lock key of the retention job (any constant no other job uses). */
    static final long LOCK = 7411253012883431002L;

    private static final Pattern PARTITION = Pattern.compile("session_events_(\\d{8})");

    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private final JdbcTemplate jdbc;

    private final TransactionTemplate transactions;

    private final EventPartitions partitions;

    private final PortcullisProperties properties;

    private final Clock clock;

    SessionRetention(
            JdbcTemplate jdbc,
            TransactionTemplate transactions,
            EventPartitions partitions,
            PortcullisProperties properties,
            Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.partitions = partitions;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * What one run did.
     *
     * @param sessions sessions purged
     * @param events events purged with them
     * @param partitionsDropped day partitions dropped
     */
    public record Purge(int sessions, int events, List<String> partitionsDropped) {}

    /** First a minute after start, then every {@code portcullis.retention.interval} after the last run ended. */
    @Scheduled(fixedDelayString = "${portcullis.retention.interval:1h}", initialDelay = 60_000)
    void scheduled() {
        try {
            run().ifPresentOrElse(
                            purge -> log.info(
                                    "Retention: sessions={} events={} partitionsDropped={}",
                                    purge.sessions(),
                                    purge.events(),
                                    purge.partitionsDropped()),
                            () -> log.debug("Retention skipped: another instance holds the lock"));
        } catch (RuntimeException e) {
            log.warn("Retention run failed; it runs again at the next interval", e);
        }
    }

    /**
     * Runs retention now with the configured period.
     *
     * @return what it did, empty if another instance was running it
     */
    public Optional<Purge> run() {
        Instant cutoff = Instant.now(clock).minus(properties.retention().days(), ChronoUnit.DAYS);
        return run(cutoff);
    }

    /** Runs retention with a given cut-off. */
    Optional<Purge> run(Instant cutoff) {
        OffsetDateTime cut = OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC);
        int[] purged = transactions.execute(status -> {
            if (!locked()) {
                return null;
            }
            LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
            for (int i = 0; i <= 2; i++) {
                jdbc.queryForObject("select portcullis_ensure_event_partition(?)", String.class, today.plusDays(i));
            }
            // Rows under a lock another transaction holds (a late batch for an old session) wait for the next run.
            List<Object[]> doomed = jdbc.query(
                    "select id, started_at from sessions where started_at < ? and not legal_hold"
                            + " for update skip locked",
                    (rs, i) -> new Object[] {rs.getObject(1), rs.getObject(2, OffsetDateTime.class)},
                    cut);
            if (doomed.isEmpty()) {
                return new int[] {0, 0};
            }
            int[] events = jdbc.batchUpdate(
                    "delete from session_events where session_id = ? and session_started_at = ?", doomed);
            jdbc.batchUpdate(
                    "delete from sessions where id = ?",
                    doomed.stream().map(row -> new Object[] {row[0]}).toList());
            int eventCount = 0;
            for (int n : events) {
                eventCount += Math.max(n, 0);
            }
            return new int[] {doomed.size(), eventCount};
        });
        if (purged == null) {
            return Optional.empty();
        }
        List<String> dropped = dropPartitions(cut);
        return Optional.of(new Purge(purged[0], purged[1], dropped));
    }

    /** Drops empty day partitions wholly before the cut-off, each in a transaction of its own. */
    private List<String> dropPartitions(OffsetDateTime cut) {
        LocalDate lastDroppable = cut.toLocalDate().minusDays(1);
        List<String> names = jdbc.queryForList(
                "select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid"
                        + " where i.inhparent = 'session_events'::regclass order by c.relname",
                String.class);
        List<String> dropped = new java.util.ArrayList<>();
        for (String name : names) {
            Matcher m = PARTITION.matcher(name);
            if (!m.matches()) {
                continue;
            }
            LocalDate day = LocalDate.parse(m.group(1), DAY);
            if (day.isAfter(lastDroppable)) {
                continue;
            }
            try {
                Boolean done = transactions.execute(status -> {
                    if (!locked()) {
                        return false;
                    }
                    // A short wait for the table lock: a busy ingest wins, the partition goes next time.
                    jdbc.execute("set local lock_timeout = '2s'");
                    Boolean empty =
                            jdbc.queryForObject("select not exists (select 1 from \"" + name + "\")", Boolean.class);
                    if (!Boolean.TRUE.equals(empty)) {
                        return false;
                    }
                    jdbc.execute("drop table \"" + name + "\"");
                    return true;
                });
                if (Boolean.TRUE.equals(done)) {
                    partitions.forget(day);
                    dropped.add(name);
                }
            } catch (DataAccessException e) {
                log.info("Partition not dropped this time: partition={} problem={}", name, e.getMessage());
            }
        }
        return dropped;
    }

    private boolean locked() {
        return Boolean.TRUE.equals(jdbc.queryForObject("select pg_try_advisory_xact_lock(?)", Boolean.class, LOCK));
    }
}
