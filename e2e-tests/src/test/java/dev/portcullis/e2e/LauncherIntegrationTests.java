package dev.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.e2e.LauncherFixture.Result;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher as a newcomer uses it: {@code ./portcullis up}, {@code status}, {@code token}, {@code down}, with the
 * packaged applications, the embedded PostgreSQL and the data surviving a restart.
 */
@ExtendWith(ComponentLogsOnFailure.class)
class LauncherIntegrationTests {

    @TempDir
    Path home;

    LauncherFixture portcullis;

    @BeforeEach
    void fixture() {
        portcullis = new LauncherFixture(home);
    }

    @AfterEach
    void stopEverything() {
        portcullis.launcher("down");
    }

    @Test
    void upStatusDownWhenDemoThenHealthyAndNothingLeftRunningAndDataSurvives() throws Exception {
        Result up = portcullis.launcher("up", "--demo");
        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.output())
                .contains(
                        "Portcullis is up",
                        "control-plane is healthy",
                        "proxy-node is healthy",
                        "web-console is healthy",
                        "demo-api is healthy");

        Result status = portcullis.launcher("status");
        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.output().lines().filter(l -> l.contains("running") && l.endsWith("UP")))
                .hasSize(4);

        String adminToken = portcullis.token("demo-ops");
        assertThat(adminToken.split("\\.")).hasSize(3);
        String secret = "launcher-secret-" + System.nanoTime();
        HttpResponse<String> created =
                portcullis.controlPlane("POST", "/api/v1/connections", adminToken, """
                {"name": "kept", "type": "HTTP", "target": "http://127.0.0.1:9",
                 "credential": {"kind": "BEARER", "token": "%s"}}""".formatted(secret));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        Map<String, Long> pids = portcullis.recordedPids();
        assertThat(pids).containsOnlyKeys("control-plane", "proxy-node", "web-console", "demo-api");
        long postgresPid = Long.parseLong(
                Files.readAllLines(home.resolve("pgdata/postmaster.pid")).get(0).strip());
        Result down = portcullis.launcher("down");
        assertThat(down.exitCode()).as(down.output()).isZero();
        for (long pid : pids.values()) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                    .as("pid " + pid)
                    .isNotEqualTo(Optional.of(true));
        }
        assertThat(ProcessHandle.of(postgresPid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
        assertThat(portcullis.launcher("status").exitCode()).isNotZero();

        Result again = portcullis.launcher("up");
        assertThat(again.exitCode()).as(again.output()).isZero();
        HttpResponse<String> kept = portcullis.controlPlane("GET", "/api/v1/connections/kept", adminToken, null);
        assertThat(kept.statusCode()).isEqualTo(200);
        assertThat(kept.body()).doesNotContain(secret);
        assertThat(portcullis
                        .controlPlane("GET", "/api/v1/connections/demo-db", adminToken, null)
                        .statusCode())
                .isEqualTo(200);

        // The secret is ciphertext in the database and absent from every log line.
        try (Connection c = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + portcullis.dbPort + "/portcullis", "postgres", "");
                PreparedStatement ps = c.prepareStatement("select c::text from connections c where name = 'kept'")) {
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).doesNotContain(secret);
            }
        }
        try (Stream<Path> logs = Files.list(home.resolve("logs"))) {
            for (Path log : logs.toList()) {
                assertThat(Files.readString(log)).as(log.toString()).doesNotContain(secret);
            }
        }
    }

    @Test
    void upWhenPortTakenThenClearErrorAndNothingStarted() throws Exception {
        try (ServerSocket squatter = new ServerSocket(portcullis.controlPlanePort)) {
            Result up = portcullis.launcher("up");

            assertThat(up.exitCode()).isNotZero();
            assertThat(up.output()).contains("port " + portcullis.controlPlanePort, "already in use");
            assertThat(portcullis.recordedPids()).isEmpty();
        }
    }

    @Test
    void upWhenTwoComponentsAreGivenOnePortThenClearErrorAndNothingStarted() {
        portcullis.env.put("PORTCULLIS_WEB_CONSOLE_PORT", Integer.toString(portcullis.proxyPort));

        Result up = portcullis.launcher("up");

        assertThat(up.exitCode()).isNotZero();
        assertThat(up.output()).contains("port " + portcullis.proxyPort + " is set for both", "web-console");
        assertThat(portcullis.recordedPids()).isEmpty();
    }

    @Test
    void downWhenNothingRunningThenSaysSo() {
        Result down = portcullis.launcher("down");

        assertThat(down.exitCode()).isZero();
        assertThat(down.output()).contains("Nothing was running");
    }

    @Test
    void tokenWhenNoDemoCredentialsThenClearError() {
        Result result = portcullis.launcher("token", "demo-agent");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("demo-credentials.properties", "up --demo");
    }

    @Test
    void unknownCommandThenUsage() {
        Result result = portcullis.launcher("frobnicate");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("Usage: ./portcullis");
    }
}
