package dev.portcullis.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.testsupport.PostgresFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MigrateIntegrationTests {

    @Test
    void migrateWhenEmptyDatabaseThenEveryTableExists() throws Exception {
        PostgresFixture.Database db = PostgresFixture.newDatabase("migrate_empty");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int exit = Migrate.run(args(db), Map.of(), new PrintStream(out), System.err);

        assertThat(exit).isZero();
        long migrations;
        int latest;
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/db/migration"))) {
            // Versions may have gaps while a reserved number is on another branch: count them and take the highest.
            List<Integer> versions = files.map(f -> f.getFileName().toString())
                    .filter(name -> name.matches("V\\d+__.+\\.sql"))
                    .map(name -> Integer.parseInt(name.substring(1, name.indexOf("__"))))
                    .toList();
            migrations = versions.size();
            latest = versions.stream().mapToInt(Integer::intValue).max().orElse(0);
        }
        assertThat(migrations).isPositive();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("Applied " + migrations + " migration(s); schema version is now " + latest);
        assertThat(tables(db))
                .contains(
                        "connections",
                        "master_key_checks",
                        "policies",
                        "policy_versions",
                        "users",
                        "groups",
                        "group_memberships",
                        "service_accounts",
                        "revocations",
                        "snapshot_state",
                        "reviews",
                        "review_decisions",
                        "sessions",
                        "session_events",
                        "session_events_default",
                        "proxy_nodes",
                        "audit_log",
                        "signing_keys");
    }

    @Test
    void migrateWhenRunTwiceThenSecondAppliesNothing() {
        PostgresFixture.Database db = PostgresFixture.newDatabase("migrate_twice");
        assertThat(Migrate.run(args(db), Map.of(), System.out, System.err)).isZero();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int exit = Migrate.run(args(db), Map.of(), new PrintStream(out), System.err);

        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Applied 0 migration(s)");
    }

    @Test
    void eventsWhenInsertedThenRoutedToDayPartitionAndKeyedBySessionAndSeq() throws Exception {
        PostgresFixture.Database db = PostgresFixture.newDatabase("migrate_events");
        assertThat(Migrate.run(args(db), Map.of(), System.out, System.err)).isZero();

        try (Connection c = db.connect();
                Statement st = c.createStatement()) {
            st.execute("select portcullis_ensure_event_partition(date '2026-11-25')");
            st.execute("select portcullis_ensure_event_partition(date '2026-11-25')"); // idempotent
            st.execute("insert into session_events (session_id, seq, session_started_at, event_time, type,"
                    + " command_text, payload, hash) values ('00000000-0000-0000-0000-000000000001', 1,"
                    + " '2026-11-25 10:00:00+00', '2026-11-25 10:00:01+00', 'db.query', 'select * from customers',"
                    + " '{}', 'h1')");
            try (ResultSet rs = st.executeQuery("select tableoid::regclass::text from session_events")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("session_events_20261125");
            }
            try (ResultSet rs = st.executeQuery(
                    "select count(*) from session_events where command_tsv @@ plainto_tsquery('simple', 'customers')")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            // Idempotent delivery rests on (session, seq): a duplicate is refused.
            boolean refused = false;
            try {
                st.execute("insert into session_events (session_id, seq, session_started_at, event_time, type,"
                        + " payload, hash) values ('00000000-0000-0000-0000-000000000001', 1,"
                        + " '2026-11-25 10:00:00+00', now(), 'x', '{}', 'h')");
            } catch (java.sql.SQLException e) {
                refused = "23505".equals(e.getSQLState());
            }
            assertThat(refused).isTrue();
        }
    }

    @Test
    void runWhenArgumentsMissingOrUnknownThenUsageAndExit2() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        assertThat(Migrate.run(new String[] {}, Map.of(), System.out, new PrintStream(err)))
                .isEqualTo(2);
        assertThat(Migrate.run(
                        new String[] {"--password=hunter2", "--bogus=hunter2"},
                        Map.of(),
                        System.out,
                        new PrintStream(err)))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Usage").doesNotContain("hunter2");
    }

    @Test
    void runWhenServerUnreachableThenExit1WithReason() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = Migrate.run(
                new String[] {"--url=jdbc:postgresql://127.0.0.1:1/none", "--user=x", "--password=y"},
                Map.of(),
                System.out,
                new PrintStream(err));

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("Migration failed:");
    }

    private static String[] args(PostgresFixture.Database db) {
        return new String[] {"--url=" + db.jdbcUrl(), "--user=" + db.username(), "--password=" + db.password()};
    }

    private static List<String> tables(PostgresFixture.Database db) throws Exception {
        List<String> tables = new ArrayList<>();
        try (Connection c = db.connect();
                ResultSet rs =
                        c.getMetaData().getTables(null, "public", "%", new String[] {"TABLE", "PARTITIONED TABLE"})) {
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME"));
            }
        }
        return tables;
    }
}
