package dev.portcullis.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs {@code ./portcullis} as a user does, on free ports and a home directory of the test's own, and talks HTTP to
 * what it started.
 */
final class LauncherFixture {

    static final Path ROOT = Path.of(System.getProperty("portcullis.root", ".."))
            .toAbsolutePath()
            .normalize();

    /** What a launcher command printed and how it ended. */
    record Result(int exitCode, String output) {}

    final Path home;

    final Map<String, String> env = new HashMap<>();

    final int controlPlanePort;

    final int proxyPort;

    final int dbPort;

    final int demoApiPort;

    private final HttpClient http = HttpClient.newHttpClient();

    LauncherFixture(Path home) {
        this.home = home;
        this.controlPlanePort = freePort();
        this.proxyPort = freePort();
        this.dbPort = freePort();
        this.demoApiPort = freePort();
        env.put("PORTCULLIS_HOME", home.toString());
        env.put("PORTCULLIS_CONTROL_PLANE_PORT", Integer.toString(controlPlanePort));
        env.put("PORTCULLIS_PROXY_NODE_PORT", Integer.toString(proxyPort));
        env.put("PORTCULLIS_WEB_CONSOLE_PORT", Integer.toString(freePort()));
        env.put("PORTCULLIS_EMBEDDED_DB_PORT", Integer.toString(dbPort));
        env.put("PORTCULLIS_DEMO_API_PORT", Integer.toString(demoApiPort));
    }

    Result launcher(String... args) {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("portcullis").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("./portcullis " + String.join(" ", args) + " did not finish");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A fresh access token for a demo service account, through {@code ./portcullis token}. */
    String token(String serviceAccount) {
        Result result = launcher("token", serviceAccount);
        if (result.exitCode() != 0) {
            throw new AssertionError("./portcullis token " + serviceAccount + " failed: " + result.output());
        }
        return result.output().strip();
    }

    /** The pids the launcher recorded, by component. */
    Map<String, Long> recordedPids() {
        Path run = home.resolve("run");
        Map<String, Long> pids = new HashMap<>();
        if (!Files.isDirectory(run)) {
            return pids;
        }
        try (Stream<Path> files = Files.list(run)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                pids.put(
                        f.getFileName().toString().replace(".pid", ""),
                        Long.parseLong(Files.readString(f).strip()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pids;
    }

    HttpResponse<String> controlPlane(String method, String path, String token, String json) {
        return send("http://127.0.0.1:" + controlPlanePort + path, method, token, json, Map.of());
    }

    HttpResponse<String> proxy(String method, String path, String token, Map<String, String> headers, String body) {
        return send("http://127.0.0.1:" + proxyPort + path, method, token, body, headers);
    }

    HttpResponse<String> send(String url, String method, String token, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        if (body != null) {
            if (!headers.containsKey("Content-Type")) {
                request.header("Content-Type", "application/json");
            }
            request.method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
