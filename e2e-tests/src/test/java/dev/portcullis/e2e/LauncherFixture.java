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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs {@code ./portcullis} as a user does, on free ports and a home directory of the test's own, and talks HTTP to
 * what it started.
 *
 * <p>Every wait is bounded: a launcher command gets {@link #LAUNCHER_TIMEOUT}, an HTTP exchange {@link #HTTP_TIMEOUT}
 * (far above the longest review hold a test sets), so a component that stops answering fails the test instead of
 * hanging the build.
 */
final class LauncherFixture {

    /** The longest a launcher command may take; {@code up} waits at most 180 s for each of four components. */
    static final Duration LAUNCHER_TIMEOUT = Duration.ofMinutes(13);

    /** The longest one HTTP exchange with a component may take. */
    static final Duration HTTP_TIMEOUT = Duration.ofSeconds(90);

    /** The fixtures whose components may be running, for {@link ComponentLogsOnFailure}. */
    static final Set<LauncherFixture> ACTIVE = ConcurrentHashMap.newKeySet();

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

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    LauncherFixture(Path home) {
        this.home = home;
        int[] ports = freePorts(5);
        this.controlPlanePort = ports[0];
        this.proxyPort = ports[1];
        this.dbPort = ports[2];
        this.demoApiPort = ports[3];
        env.put("PORTCULLIS_HOME", home.toString());
        env.put("PORTCULLIS_CONTROL_PLANE_PORT", Integer.toString(controlPlanePort));
        env.put("PORTCULLIS_PROXY_NODE_PORT", Integer.toString(proxyPort));
        env.put("PORTCULLIS_WEB_CONSOLE_PORT", Integer.toString(ports[4]));
        env.put("PORTCULLIS_EMBEDDED_DB_PORT", Integer.toString(dbPort));
        env.put("PORTCULLIS_DEMO_API_PORT", Integer.toString(demoApiPort));
        ACTIVE.add(this);
    }

    Result launcher(String... args) {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("portcullis").toString());
        command.addAll(List.of(args));
        try {
            // Output to a file, not a pipe: reading a pipe would wait for every process that inherited it.
            Path output = Files.createTempFile("launcher-", ".out");
            try {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(ROOT.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile());
                builder.environment().putAll(env);
                Process process = builder.start();
                if (!process.waitFor(LAUNCHER_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    throw new AssertionError("./portcullis " + String.join(" ", args) + " did not finish within "
                            + LAUNCHER_TIMEOUT + "; it printed:\n" + Files.readString(output));
                }
                if (args.length > 0 && "down".equals(args[0])) {
                    ACTIVE.remove(this);
                }
                return new Result(process.exitValue(), Files.readString(output));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The last {@code lines} lines of each component's log, for a failed test's report. */
    String logTails(int lines) {
        Path logs = home.resolve("logs");
        StringBuilder out = new StringBuilder();
        if (!Files.isDirectory(logs)) {
            return "(no logs in " + logs + ")";
        }
        try (Stream<Path> files = Files.list(logs)) {
            for (Path log : files.sorted().toList()) {
                List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
                out.append("----- ")
                        .append(log.getFileName())
                        .append(" (last ")
                        .append(Math.min(lines, all.size()))
                        .append(" of ")
                        .append(all.size())
                        .append(" lines) -----\n");
                all.subList(Math.max(0, all.size() - lines), all.size())
                        .forEach(l -> out.append(l).append('\n'));
            }
        } catch (IOException e) {
            out.append("(could not read ").append(logs).append(": ").append(e).append(")\n");
        }
        return out.toString();
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
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(HTTP_TIMEOUT);
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
        return exchange(request.build());
    }

    /** Sends a request built by the caller (with {@link #HTTP_TIMEOUT} as its timeout); the body is read as text. */
    HttpResponse<String> exchange(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int freePort() {
        return freePorts(1)[0];
    }

    /**
     * Free ports, all different. Every socket stays open until all are chosen: asked one after another, with each
     * closed before the next, the system may hand out the same port twice (it did: the proxy and the web console were
     * both given 39035).
     */
    static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing a listening socket nobody connected to; nothing to do
                }
            }
        }
    }
}
