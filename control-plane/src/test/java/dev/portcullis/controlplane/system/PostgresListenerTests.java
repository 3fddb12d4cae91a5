package dev.portcullis.controlplane.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.testsupport.PostgresFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The LISTEN loop both notifiers run on a real PostgreSQL: it keeps listening through a lost connection. */
class PostgresListenerTests {

    private static final PostgresFixture.Database DATABASE = PostgresFixture.newDatabase("listener");

    private static final String CHANNEL = "listener_test";

    private final AtomicInteger wakes = new AtomicInteger();

    private volatile boolean failNextWake;

    private final PostgresListener listener = new PostgresListener(dataSource(), CHANNEL, "test-listener") {
        @Override
        protected void wake() {
            wakes.incrementAndGet();
            if (failNextWake) {
                failNextWake = false;
                throw new IllegalStateException("a wake that fails");
            }
        }
    };

    @AfterEach
    void stop() throws InterruptedException {
        listener.stop();
        // The next test must not find this one's connection, still open for up to a second.
        await(() -> listenerBackend() == 0, "the listener's connection to close");
    }

    @Test
    void wakeWhenConnectionKilledThenListensAgainOnANewOne() throws Exception {
        listener.start();
        int first = awaitListener(0);
        awaitWakes(wakes.get() + 1);

        try (Connection c = DATABASE.connect();
                PreparedStatement kill = c.prepareStatement("select pg_terminate_backend(?)")) {
            kill.setInt(1, first);
            try (ResultSet rs = kill.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean(1)).isTrue();
            }
        }

        int second = awaitListener(first);
        assertThat(second).isNotEqualTo(first);
        // And it is woken on the new connection: by a notification, or by the second's safety net.
        int before = wakes.get();
        notifyChannel();
        awaitWakes(before + 1);
        assertThat(listener.isRunning()).isTrue();
    }

    @Test
    void wakeWhenItThrowsThenLoggedAndListeningGoesOn() throws Exception {
        listener.start();
        int first = awaitListener(0);
        failNextWake = true;
        notifyChannel();

        // The failure costs the connection (it may have been the cause), not the listener.
        awaitListener(first);
        int before = wakes.get();
        awaitWakes(before + 2);
        assertThat(failNextWake).isFalse();
    }

    @Test
    void stopWhenListeningThenItsConnectionIsClosed() throws Exception {
        listener.start();
        awaitListener(0);

        listener.stop();

        assertThat(listener.isRunning()).isFalse();
        await(() -> listenerBackend() == 0, "the listener's connection to close");
    }

    private static PGSimpleDataSource dataSource() {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl(DATABASE.jdbcUrl());
        source.setUser(DATABASE.username());
        source.setPassword(DATABASE.password());
        return source;
    }

    private static void notifyChannel() throws SQLException {
        try (Connection c = DATABASE.connect();
                Statement st = c.createStatement()) {
            st.execute("notify " + CHANNEL);
        }
    }

    /** Waits for a backend other than {@code not} whose last statement was this channel's LISTEN; its pid. */
    private static int awaitListener(int not) throws Exception {
        int[] found = new int[1];
        await(
                () -> {
                    found[0] = listenerBackend();
                    return found[0] != 0 && found[0] != not;
                },
                "a connection listening on " + CHANNEL);
        return found[0];
    }

    /** The pid of the backend listening on the channel in this database, 0 if there is none. */
    private static int listenerBackend() {
        try (Connection c = DATABASE.connect();
                PreparedStatement st = c.prepareStatement(
                        "select pid from pg_stat_activity where datname = current_database() and query = ?")) {
            st.setString(1, "listen " + CHANNEL);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitWakes(int atLeast) throws InterruptedException {
        await(() -> wakes.get() >= atLeast, atLeast + " wakes");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Gave up waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
