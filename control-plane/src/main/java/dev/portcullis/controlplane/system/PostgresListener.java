package dev.portcullis.controlplane.system;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * LISTENs on one PostgreSQL channel on a thread of its own, with a connection of its own, and calls {@link #wake()}
 * after every notification and at least once a second without one: the second is the safety net for a notification
 * lost while the connection was being replaced. A lost connection is logged and opened again a second later, for as
 * long as the application runs.
 */
public abstract class PostgresListener implements SmartLifecycle {

    /** The longest wait for a notification before {@link #wake()} is called anyway. */
    static final int POLL_MILLIS = 1000;

    private final Logger log = LoggerFactory.getLogger(getClass());

    private final DataSource dataSource;

    private final String channel;

    private final String threadName;

    private volatile boolean running;

    private Thread thread;

    /**
     * @param dataSource where connections come from
     * @param channel the channel to LISTEN on: an identifier, not user input
     * @param threadName the listening thread's name
     */
    protected PostgresListener(DataSource dataSource, String channel, String threadName) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.threadName = threadName;
    }

    /**
     * Looks at whatever the channel is about; runs on the listening thread, so it should hand slow work elsewhere. An
     * exception from it is logged, and the connection is opened again.
     */
    protected abstract void wake();

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::run, threadName);
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
                    st.execute("listen " + channel);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    // Returns at once on a notification, else after a second: either way, look.
                    pg.getNotifications(POLL_MILLIS);
                    wake();
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    log.warn("{} lost its database connection; retrying: {}", threadName, e.toString());
                    sleepQuietly();
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
