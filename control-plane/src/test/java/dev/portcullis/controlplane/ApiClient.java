package dev.portcullis.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real HTTP client for the control-plane API, authenticated with HTTP Basic. */
public final class ApiClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();

    private final String baseUrl;

    private final String authorization;

    private ApiClient(int port, String authorization) {
        this.baseUrl = "http://127.0.0.1:" + port;
        this.authorization = authorization;
    }

    /** A client that sends {@code Authorization: Bearer token}. */
    public static ApiClient bearer(int port, String token) {
        return new ApiClient(port, "Bearer " + token);
    }

    /** A client that sends HTTP Basic credentials (the token endpoint's client authentication). */
    public static ApiClient basic(int port, String username, String password) {
        return new ApiClient(
                port,
                "Basic "
                        + Base64.getEncoder()
                                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** A client that sends no credentials. */
    public static ApiClient anonymous(int port) {
        return new ApiClient(port, null);
    }

    /** Client credentials grant: the token endpoint's answer. */
    public static Response clientCredentials(int port, String clientId, String secret) {
        return basic(port, clientId, secret)
                .post("/oauth2/token", "application/x-www-form-urlencoded", "grant_type=client_credentials");
    }

    /** Client credentials grant, returning the access token or failing. */
    public static String token(int port, String clientId, String secret) {
        Response response = clientCredentials(port, clientId, secret);
        if (response.status() != 200) {
            throw new IllegalStateException(
                    "No token for " + clientId + ": " + response.status() + " " + response.body());
        }
        return response.json().get("access_token").asString();
    }

    /** A response: status, headers and body as text, with the body as JSON on demand. */
    public record Response(int status, String body, java.net.http.HttpHeaders headers) {

        public JsonNode json() {
            return JSON.readTree(body);
        }
    }

    public Response get(String path) {
        return send(request(path).GET());
    }

    public Response getWithHeader(String path, String name, String value) {
        return send(request(path).header(name, value).GET());
    }

    public Response get(String path, String accept) {
        return send(request(path).header("Accept", accept).GET());
    }

    public Response post(String path, String contentType, String body) {
        return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Response postJson(String path, String body) {
        return post(path, "application/json", body);
    }

    public Response put(String path, String contentType, String body) {
        return send(request(path).header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Response delete(String path) {
        return send(request(path).DELETE());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private Response send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
