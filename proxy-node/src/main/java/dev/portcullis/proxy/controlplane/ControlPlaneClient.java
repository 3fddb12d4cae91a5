package dev.portcullis.proxy.controlplane;

import dev.portcullis.policy.connection.Credential;
import dev.portcullis.policy.connection.Credentials;
import dev.portcullis.proxy.system.ProxyProperties;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The proxy's calls to the control plane, each authenticated with the proxy's own client-credentials token. Blocking
 * (JDK HTTP client): callers run it on background threads or a bounded elastic scheduler, never on the event loop.
 */
public class ControlPlaneClient {

    /** The control plane could not be reached or refused; the message never carries a secret. */
    public static class UnavailableException extends RuntimeException {

        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The control plane answered, but not with success; {@link #status()} says how. */
    public static class RefusedException extends UnavailableException {

        private final int status;

        public RefusedException(int status, String message) {
            super(message, null);
            this.status = status;
        }

        /** The HTTP status the control plane answered. */
        public int status() {
            return status;
        }
    }

    /**
     * The control plane's answer to a batch of session events.
     *
     * @param accepted events stored now
     * @param duplicates events it already had (same session and sequence number): a batch sent again
     * @param broken what it found wrong with the chains, as it reported it (empty when nothing)
     */
    public record EventsResponse(long accepted, long duplicates, List<Object> broken) {}

    /** A snapshot answer: a new document with its ETag, or nothing new. */
    public record SnapshotResponse(boolean changed, String etag, String body) {}

    /** A control-plane answer: its status and body. */
    public record Reply(int status, String body) {}

    private static final Duration TOKEN_MARGIN = Duration.ofSeconds(30);

    private final HttpClient http;

    private final ProxyProperties properties;

    private final JsonMapper json;

    private String token;

    private Instant tokenExpiresAt = Instant.EPOCH;

    public ControlPlaneClient(ProxyProperties properties, JsonMapper json) {
        this.properties = properties;
        this.json = json;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Long-polls the snapshot: returns at once when {@code etag} is stale, else waits up to {@code wait}. */
    public SnapshotResponse snapshot(String etag, Duration wait) {
        HttpRequest.Builder request = authorized("/api/v1/proxy/snapshot?wait=" + wait.toSeconds())
                .timeout(wait.plusSeconds(15))
                .GET();
        if (etag != null) {
            request.header("If-None-Match", etag);
        }
        HttpResponse<String> response = send(request.build(), "snapshot");
        if (response.statusCode() == 304) {
            return new SnapshotResponse(false, etag, null);
        }
        expect(response, 200, "snapshot");
        return new SnapshotResponse(true, response.headers().firstValue("ETag").orElse(null), response.body());
    }

    /** The credential of a connection; empty when the connection has none. */
    public Optional<Credential> credential(String connection) {
        HttpResponse<String> response = send(
                authorized("/api/v1/proxy/connections/" + URLEncoder.encode(connection, StandardCharsets.UTF_8)
                                + "/credential")
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                "credential");
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        expect(response, 200, "credential");
        Map<String, Object> map = json.readValue(response.body(), new TypeReference<Map<String, Object>>() {});
        return Optional.of(Credentials.fromMap(map));
    }

    /** Reports this node to the fleet view. */
    public void heartbeat(Map<String, Object> heartbeat) {
        HttpResponse<String> response = send(
                authorized("/api/v1/proxy/heartbeat")
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(heartbeat)))
                        .build(),
                "heartbeat");
        expect(response, 204, "heartbeat");
    }

    /**
     * POSTs a JSON document to a proxy endpoint and returns the answer whatever its status.
     *
     * @throws UnavailableException when the control plane cannot be reached
     */
    public Reply postJson(String path, Object body, Duration timeout) {
        HttpResponse<String> response = send(
                authorized(path)
                        .timeout(timeout)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                        .build(),
                path);
        forgetTokenIfRefused(response);
        return new Reply(response.statusCode(), response.body());
    }

    /**
     * GETs a proxy endpoint without holding a thread while the answer is awaited (for long polls). Only fetching a
     * new token of the proxy's own, when one is due, blocks the calling thread.
     *
     * @return the answer whatever its status; completes exceptionally with {@link UnavailableException} when the
     *     control plane cannot be reached
     */
    public CompletableFuture<Reply> getAsync(String path, Duration timeout) {
        HttpRequest request = authorized(path).timeout(timeout).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
                throw new UnavailableException("Control plane unreachable (" + path + "): " + cause, cause);
            }
            forgetTokenIfRefused(response);
            return new Reply(response.statusCode(), response.body());
        });
    }

    private void forgetTokenIfRefused(HttpResponse<String> response) {
        if (response.statusCode() == 401) {
            synchronized (this) {
                token = null;
            }
        }
    }

    /**
     * Delivers a batch of session events. The body is {@code {"proxyNode": …, "events": [ … ]}}; the control plane
     * stores each event once by session and sequence number, so a batch may be sent again after a failure.
     *
     * @throws RefusedException if the control plane answers other than 2xx
     * @throws UnavailableException if it cannot be reached
     */
    public EventsResponse postEvents(String body) {
        HttpResponse<String> response = send(
                authorized("/api/v1/proxy/events")
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                "events");
        if (response.statusCode() / 100 != 2) {
            if (response.statusCode() == 401) {
                synchronized (this) {
                    token = null;
                }
            }
            throw new RefusedException(
                    response.statusCode(),
                    "Control plane answered " + response.statusCode() + " to the events request");
        }
        if (response.body() == null || response.body().isBlank()) {
            return new EventsResponse(0, 0, List.of());
        }
        Map<String, Object> answer = json.readValue(response.body(), new TypeReference<Map<String, Object>>() {});
        return new EventsResponse(
                answer.get("accepted") instanceof Number n ? n.longValue() : 0,
                answer.get("duplicates") instanceof Number n ? n.longValue() : 0,
                answer.get("broken") instanceof List<?> list ? new ArrayList<>(list) : List.of());
    }

    private HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(properties.controlPlaneUrl().resolve(path))
                .header("Authorization", "Bearer " + token());
    }

    private synchronized String token() {
        if (token != null && Instant.now().isBefore(tokenExpiresAt.minus(TOKEN_MARGIN))) {
            return token;
        }
        String basic = Base64.getEncoder()
                .encodeToString((URLEncoder.encode(properties.clientId(), StandardCharsets.UTF_8) + ":"
                                + URLEncoder.encode(secret(), StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = send(
                HttpRequest.newBuilder(properties.controlPlaneUrl().resolve("/oauth2/token"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Basic " + basic)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                        .build(),
                "token");
        expect(response, 200, "token");
        JsonNode body = json.readTree(response.body());
        token = body.get("access_token").asString();
        tokenExpiresAt = Instant.now().plusSeconds(body.path("expires_in").asLong(60));
        return token;
    }

    private String secret() {
        if (properties.clientSecret() != null && !properties.clientSecret().isBlank()) {
            return properties.clientSecret();
        }
        if (properties.clientSecretFile() != null) {
            try {
                return Files.readString(properties.clientSecretFile()).strip();
            } catch (IOException e) {
                throw new UnavailableException(
                        "Cannot read the proxy's client secret file " + properties.clientSecretFile(), e);
            }
        }
        throw new UnavailableException(
                "No client secret: set portcullis.proxy.client-secret-file (or PORTCULLIS_PROXY_CLIENT_SECRET)", null);
    }

    private HttpResponse<String> send(HttpRequest request, String what) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UnavailableException("Control plane unreachable (" + what + "): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("Interrupted (" + what + ")", e);
        }
    }

    private void expect(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() == 401) {
            synchronized (this) {
                token = null;
            }
        }
        if (response.statusCode() != status) {
            throw new UnavailableException(
                    "Control plane answered " + response.statusCode() + " to the " + what + " request", null);
        }
    }
}
