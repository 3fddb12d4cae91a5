package dev.portcullis.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A real PostgreSQL server for integration tests, shared by every test of one JVM.
 *
 * <p>Testcontainers runs it where a Docker engine answers; elsewhere (these build machines have none) it is an
 * embedded PostgreSQL 17 from zonky. {@code -Dportcullis.test.postgres=embedded|testcontainers} forces one. Each test
 * class asks for {@link #newDatabase(String)} so that classes never see each other's rows.
 */
public final class PostgresFixture {

    private static final Logger log = LoggerFactory.getLogger(PostgresFixture.class);

    private static final AtomicInteger databases = new AtomicInteger();

    private static Server server;

    private PostgresFixture() {}

    /** A database on a real server: its JDBC URL and the credentials of a role that owns it. */
    public record Database(String name, String jdbcUrl, String username, String password) {

        /** Opens a plain JDBC connection to this database. */
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbcUrl, username, password);
        }

        @Override
        public String toString() {
            return "Database[" + jdbcUrl + ", user=" + username + "]";
        }
    }

    /** Creates an empty database with a unique name derived from {@code prefix} on the shared server. */
    public static synchronized Database newDatabase(String prefix) {
        Server s = server();
        String name = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_") + "_" + databases.incrementAndGet()
                + "_" + ProcessHandle.current().pid();
        try (Connection c = DriverManager.getConnection(s.jdbcUrl("postgres"), s.username(), s.password());
                Statement st = c.createStatement()) {
            st.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create test database " + name, e);
        }
        return new Database(name, s.jdbcUrl(name), s.username(), s.password());
    }

    /** Which kind of server backs the fixture in this JVM: {@code testcontainers} or {@code embedded}. */
    public static synchronized String kind() {
        return server().kind();
    }

    private static Server server() {
        if (server == null) {
            server = start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "postgres-fixture-stop"));
        }
        return server;
    }

    private static Server start() {
        String forced = System.getProperty("portcullis.test.postgres", System.getenv("PORTCULLIS_TEST_POSTGRES"));
        boolean docker = "testcontainers".equals(forced) || (forced == null && dockerAvailable());
        Server s = docker ? ContainerServer.start() : EmbeddedServer.start();
        log.info("Test PostgreSQL: {} at {}", s.kind(), s.jdbcUrl("postgres"));
        return s;
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private interface Server extends AutoCloseable {
        String kind();

        String jdbcUrl(String database);

        String username();

        String password();

        @Override
        void close();
    }

    private record EmbeddedServer(EmbeddedPostgres postgres) implements Server {

        static EmbeddedServer start() {
            try {
                return new EmbeddedServer(EmbeddedPostgres.builder()
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        // Test data is disposable: trade durability for speed on a 2-core machine.
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .setServerConfig("max_connections", "200")
                        .start());
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start embedded PostgreSQL", e);
            }
        }

        @Override
        public String kind() {
            return "embedded";
        }

        @Override
        public String jdbcUrl(String database) {
            return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + database;
        }

        @Override
        public String username() {
            return "postgres";
        }

        @Override
        public String password() {
            return "postgres";
        }

        @Override
        public void close() {
            try {
                postgres.close();
            } catch (IOException e) {
                log.warn("Could not stop embedded PostgreSQL", e);
            }
        }
    }

    private record ContainerServer(PostgreSQLContainer container) implements Server {

        static ContainerServer start() {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine")
                    .withCommand("postgres", "-c", "fsync=off", "-c", "max_connections=200");
            container.start();
            return new ContainerServer(container);
        }

        @Override
        public String kind() {
            return "testcontainers";
        }

        @Override
        public String jdbcUrl(String database) {
            return "jdbc:postgresql://" + container.getHost() + ":" + container.getMappedPort(5432) + "/" + database;
        }

        @Override
        public String username() {
            return container.getUsername();
        }

        @Override
        public String password() {
            return container.getPassword();
        }

        @Override
        public void close() {
            container.stop();
        }
    }
}
