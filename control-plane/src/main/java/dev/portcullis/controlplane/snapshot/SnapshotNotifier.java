package dev.portcullis.controlplane.snapshot;

import dev.portcullis.controlplane.system.SnapshotVersions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Wakes long polls when the snapshot version changes, on this instance or any other: it LISTENs on PostgreSQL's
 * {@value SnapshotVersions#CHANNEL} channel and, as a safety net for a lost notification, re-reads the version every
 * second.
 */
@Component
class SnapshotNotifier implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SnapshotNotifier.class);

    private static final int POLL_MILLIS = 1000;

    private record Waiter(long knownVersion, LongConsumer onChange) {}

    private final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();

    private final DataSource dataSource;

    private final SnapshotVersions versions;

    private volatile boolean running;

    private Thread thread;

    SnapshotNotifier(DataSource dataSource, SnapshotVersions versions) {
        this.dataSource = dataSource;
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
    public void start() {
        running = true;
        thread = new Thread(this::run, "snapshot-notifier");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement st = connection.createStatement()) {
                    st.execute("listen " + SnapshotVersions.CHANNEL);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    pg.getNotifications(POLL_MILLIS);
                    wake();
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    log.warn("Snapshot notifier lost its database connection; retrying: {}", e.toString());
                    sleepQuietly();
                }
            }
        }
    }

    private void wake() {
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

    private static void sleepQuietly() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
