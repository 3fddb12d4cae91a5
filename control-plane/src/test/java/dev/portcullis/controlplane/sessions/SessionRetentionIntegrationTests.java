package dev.portcullis.controlplane.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.controlplane.ApiClient;
import dev.portcullis.controlplane.ApiIntegrationTest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

class SessionRetentionIntegrationTests extends ApiIntegrationTest {

    @Autowired
    SessionRetention retention;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void runWhenSessionsOlderThanRetentionThenPurgedUnlessHeldAndTheRestVerifies() {
        ApiClient proxy = as("retention-proxy", List.of("proxies"));
        ApiClient auditor = as("retention-auditor", List.of("auditors"));
        Instant now = Instant.now();
        TestSessions purged = TestSessions.start("agent-old", "api-retention", now.minus(45, ChronoUnit.DAYS))
                .request("GET", "/customers/1")
                .decision("ALLOW")
                .end("closed");
        TestSessions held = TestSessions.start("agent-held", "api-retention", now.minus(40, ChronoUnit.DAYS))
                .request("GET", "/customers/2")
                .decision("BLOCK")
                .end("closed");
        TestSessions recent = TestSessions.sixEvents("agent-recent", "api-retention");
        for (TestSessions session : List.of(purged, held, recent)) {
            assertThat(proxy.postJson("/api/v1/proxy/events", session.batch()).status())
                    .isEqualTo(200);
        }
        String purgedPartition = partitionOf(purged);
        String heldPartition = partitionOf(held);
        assertThat(partitionExists(purgedPartition)).isTrue();
        assertThat(auditor.put(
                                "/api/v1/sessions/" + held.id() + "/legal-hold",
                                "application/json",
                                "{\"legalHold\":true}")
                        .status())
                .isEqualTo(200);

        SessionRetention.Purge purge = runRetention();

        assertThat(purge.sessions()).isGreaterThanOrEqualTo(1);
        assertThat(auditor.get("/api/v1/sessions/" + purged.id()).status()).isEqualTo(404);
        assertThat(count("select count(*) from session_events where session_id = ?", purged.id()))
                .isZero();
        assertThat(partitionExists(purgedPartition)).isFalse();
        assertThat(purge.partitionsDropped()).contains(purgedPartition);

        assertThat(partitionExists(heldPartition)).isTrue();
        assertThat(auditor.get("/api/v1/sessions/" + held.id() + "/verify")
                        .json()
                        .get("valid")
                        .asBoolean())
                .isTrue();
        assertThat(auditor.get("/api/v1/sessions/" + held.id())
                        .json()
                        .get("eventCount")
                        .asLong())
                .isEqualTo(4);
        assertThat(auditor.get("/api/v1/sessions/" + recent.id() + "/verify")
                        .json()
                        .get("valid")
                        .asBoolean())
                .isTrue();

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (int i = 0; i <= 2; i++) {
            assertThat(partitionExists("session_events_" + today.plusDays(i).format(DateTimeFormatter.BASIC_ISO_DATE)))
                    .isTrue();
        }
    }

    @Test
    void ensurePartitionWhenRowsAlreadyInDefaultThenMovedIntoTheNewPartition() {
        LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(200 + new java.util.Random().nextInt(1000));
        String partition = "session_events_" + day.format(DateTimeFormatter.BASIC_ISO_DATE);
        assertThat(partitionExists(partition)).isFalse();
        UUID id = UUID.randomUUID();
        java.time.OffsetDateTime started = day.atTime(13, 14, 15, 123_456_000).atOffset(ZoneOffset.UTC);
        jdbc.update(
                "insert into session_events (session_id, seq, session_started_at, event_time, type, payload, hash)"
                        + " values (?, 1, ?, ?, 'session.start', '{}'::jsonb, ?)",
                id,
                started,
                started,
                "a".repeat(64));
        assertThat(count("select count(*) from session_events_default where session_id = ?", id))
                .isEqualTo(1);

        jdbc.queryForObject("select portcullis_ensure_event_partition(?)", String.class, day);

        assertThat(count("select count(*) from session_events_default where session_id = ?", id))
                .isZero();
        assertThat(count("select count(*) from " + partition + " where session_id = ?", id))
                .isEqualTo(1);
        jdbc.update("delete from session_events where session_id = ?", id);
    }

    private SessionRetention.Purge runRetention() {
        for (int attempt = 0; attempt < 50; attempt++) {
            Optional<SessionRetention.Purge> purge = retention.run();
            if (purge.isPresent()) {
                return purge.get();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("retention never got its lock");
    }

    private static String partitionOf(TestSessions session) {
        LocalDate day = SessionIngest.dayOf(session.event(1).atMicros());
        return "session_events_" + day.format(DateTimeFormatter.BASIC_ISO_DATE);
    }

    private boolean partitionExists(String name) {
        return Boolean.TRUE.equals(jdbc.queryForObject("select to_regclass(?) is not null", Boolean.class, name));
    }

    private long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }
}
