package dev.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher as a newcomer uses it: {@code ./portcullis up}, {@code status}, {@code down}, with the packaged
 * applications, the embedded PostgreSQL and the data surviving a restart.
 */
class LauncherIntegrationTests {

    private static final Path ROOT = Path.of(System.getProperty("portcullis.root", ".."))
            .toAbsolutePath()
            .normalize();

    @TempDir
    Path home;

    private final Map<String, String> env = new HashMap<>();

    private int controlPlanePort;

    private int dbPort;

    @BeforeEach
    void ports() throws IOException {
        controlPlanePort = freePort();
        dbPort = freePort();
        env.put("PORTCULLIS_HOME", home.toString());
        env.put("PORTCULLIS_CONTROL_PLANE_PORT", Integer.toString(controlPlanePort));
        env.put("PORTCULLIS_PROXY_NODE_PORT", Integer.toString(freePort()));
        env.put("PORTCULLIS_WEB_CONSOLE_PORT", Integer.toString(freePort()));
        env.put("PORTCULLIS_EMBEDDED_DB_PORT", Integer.toString(dbPort));
    }

    @AfterEach
    void stopEverything() throws Exception {
        launcher("down");
    }

    @Test
    void upStatusDownWhenDemoThenHealthyAndNothingLeftRunningAndDataSurvives() throws Exception {
        Result up = launcher("up", "--demo");
        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.output())
                .contains(
                        "Portcullis is up",
                        "control-plane is healthy",
                        "proxy-node is healthy",
                        "web-console is healthy");

        Result status = launcher("status");
        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.output().lines().filter(l -> l.contains("running") && l.endsWith("UP")))
                .hasSize(3);

        // A connection made through the API, with a secret.
        String secret = "launcher-secret-" + System.nanoTime();
        Result token = launcher("token", "demo-ops");
        assertThat(token.exitCode()).as(token.output()).isZero();
        String adminToken = token.output().strip();
        assertThat(adminToken.split("\\.")).hasSize(3);
        HttpResponse<String> created = api("POST", "/api/v1/connections", adminToken, """
                {"name": "kept", "type": "HTTP", "target": "http://127.0.0.1:9",
                 "credential": {"kind": "BEARER", "token": "%s"}}""".formatted(secret));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        List<Long> pids = recordedPids();
        assertThat(pids).hasSize(3);
        long postgresPid = postgresPid();
        Result down = launcher("down");
        assertThat(down.exitCode()).as(down.output()).isZero();
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                    .as("pid " + pid)
                    .isNotEqualTo(java.util.Optional.of(true));
        }
        assertThat(ProcessHandle.of(postgresPid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
        assertThat(launcher("status").exitCode()).isNotZero();

        Result again = launcher("up");
        assertThat(again.exitCode()).as(again.output()).isZero();
        HttpResponse<String> kept = api("GET", "/api/v1/connections/kept", adminToken, null);
        assertThat(kept.statusCode()).isEqualTo(200);
        assertThat(kept.body()).doesNotContain(secret);
        assertThat(api("GET", "/api/v1/connections/demo-db", adminToken, null).statusCode())
                .isEqualTo(200);

        // The secret is ciphertext in the database and absent from every log line.
        try (Connection c = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + dbPort + "/portcullis", "postgres", "");
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
        try (ServerSocket squatter = new ServerSocket(controlPlanePort)) {
            Result up = launcher("up");

            assertThat(up.exitCode()).isNotZero();
            assertThat(up.output()).contains("port " + controlPlanePort, "already in use");
            assertThat(recordedPids()).isEmpty();
        }
    }

    @Test
    void downWhenNothingRunningThenSaysSo() throws Exception {
        Result down = launcher("down");

        assertThat(down.exitCode()).isZero();
        assertThat(down.output()).contains("Nothing was running");
    }

    @Test
    void tokenWhenNoDemoCredentialsThenClearError() throws Exception {
        Result result = launcher("token", "demo-agent");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("demo-credentials.properties", "up --demo");
    }

    @Test
    void unknownCommandThenUsage() throws Exception {
        Result result = launcher("frobnicate");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("Usage: ./portcullis");
    }

    private record Result(int exitCode, String output) {}

    private Result launcher(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("portcullis").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("./portcullis " + String.join(" ", args) + " did not finish");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private List<Long> recordedPids() throws IOException {
        Path run = home.resolve("run");
        if (!Files.isDirectory(run)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(run)) {
            return files.filter(f -> f.toString().endsWith(".pid"))
                    .map(f -> {
                        try {
                            return Long.parseLong(Files.readString(f).strip());
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .toList();
        }
    }

    private long postgresPid() throws IOException {
        return Long.parseLong(
                Files.readAllLines(home.resolve("pgdata/postmaster.pid")).get(0).strip());
    }

    private HttpResponse<String> api(String method, String path, String token, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controlPlanePort + path))
                .header("Authorization", "Bearer " + token);
        if (json != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
