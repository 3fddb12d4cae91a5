package dev.portcullis.controlplane.snapshot;

import dev.portcullis.controlplane.system.PostgresListener;
import dev.portcullis.controlplane.system.SnapshotVersions;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Wakes long polls when the snapshot version changes, on this instance or any other: it LISTENs on PostgreSQL's
 * {@value SnapshotVersions#CHANNEL} channel and, as a safety net for a lost notification, re-reads the version every
 * second.
 */
@Component
class SnapshotNotifier extends PostgresListener {

    private static final Logger log = LoggerFactory.getLogger(SnapshotNotifier.class);

    private record Waiter(long knownVersion, LongConsumer onChange) {}

    private final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();

    private final SnapshotVersions versions;

    SnapshotNotifier(DataSource dataSource, SnapshotVersions versions) {
        super(dataSource, SnapshotVersions.CHANNEL, "snapshot-notifier");
        this.versions = versions;
    }

    /** Calls {@code onChange} with the new version once it differs from {@code knownVersion}. */
    void await(long knownVersion, LongConsumer onChange) {
        waiters.add(new Waiter(knownVersion, onChange));
    }

    /** Forgets a waiter (its request timed out). */
    void cancel(LongConsumer onChange) {
        waiters.removeIf(w -> w.onChange() == onChange);
    }

    @Override
    protected void wake() {
        if (waiters.isEmpty()) {
            return;
        }
        long current = versions.current();
        for (Waiter waiter : waiters) {
            if (waiter.knownVersion() != current && waiters.remove(waiter)) {
                try {
                    waiter.onChange().accept(current);
                } catch (RuntimeException e) {
                    log.warn("A snapshot waiter failed", e);
                }
            }
        }
    }
}
