package dev.portcullis.controlplane.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.portcullis.controlplane.ApiClient;
import dev.portcullis.controlplane.ApiClient.Response;
import dev.portcullis.controlplane.ApiIntegrationTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Review webhooks against a real HTTP receiver that refuses the first delivery. */
class ReviewWebhookIntegrationTests extends ApiIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What the receiver got: its answer, the content type and the body, in order of arrival. */
    record Received(int answered, String contentType, JsonNode body) {}

    private static final BlockingQueue<Received> RECEIVED = new LinkedBlockingQueue<>();

    private static final AtomicInteger CALLS = new AtomicInteger();

    private static final HttpServer RECEIVER = startReceiver();

    @DynamicPropertySource
    static void webhooks(DynamicPropertyRegistry registry) {
        registry.add(
                "portcullis.review.webhooks.hook-approvers",
                () -> "http://127.0.0.1:" + RECEIVER.getAddress().getPort() + "/hook");
        registry.add("portcullis.review.webhook-backoff", () -> "200ms");
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.stop(0);
    }

    @Test
    void webhookWhenFirstAttemptFailsThenRetriedAndDecisionAnnounced() throws Exception {
        ApiClient proxy = as("hook-proxy", List.of("proxies"));
        String subject = "hook-agent-" + UUID.randomUUID();
        Response opened = proxy.postJson("/api/v1/proxy/reviews", """
                {"connection": "demo-api", "subject": "%s", "groups": ["ai-agents"],
                 "command": "DELETE /customers/7", "commandHash": "%s", "rule": "api-deletes",
                 "approverGroups": ["hook-approvers", "approvers"], "approvals": 1, "proxyNode": "node-h"}
                """.formatted(subject, "cd".repeat(32)));
        assertThat(opened.status()).isEqualTo(201);
        String id = opened.json().get("id").asString();

        Received refused = next();
        assertThat(refused.answered()).isEqualTo(500);
        assertThat(refused.body().get("event").asString()).isEqualTo("review.opened");
        Received retried = next();
        assertThat(retried.answered()).isEqualTo(200);
        assertThat(retried.contentType()).isEqualTo("application/json");
        assertThat(retried.body().get("event").asString()).isEqualTo("review.opened");
        JsonNode review = retried.body().get("review");
        assertThat(review.get("id").asString()).isEqualTo(id);
        assertThat(review.get("status").asString()).isEqualTo("PENDING");
        assertThat(review.get("subject").asString()).isEqualTo(subject);
        assertThat(review.get("command").asString()).isEqualTo("DELETE /customers/7");
        assertThat(review.get("url").asString()).endsWith("/reviews/" + id);

        Response approved = as("hook-approver", List.of("approvers", "hook-approvers"))
                .postJson("/api/v1/reviews/" + id + "/approve", "{\"comment\": \"ok\"}");
        assertThat(approved.status()).isEqualTo(200);

        Received decided = next();
        assertThat(decided.answered()).isEqualTo(200);
        assertThat(decided.body().get("event").asString()).isEqualTo("review.decided");
        assertThat(decided.body().get("review").get("status").asString()).isEqualTo("APPROVED");
        assertThat(decided.body()
                        .get("review")
                        .get("decisions")
                        .get(0)
                        .get("comment")
                        .asString())
                .isEqualTo("ok");
        // Nothing else: one receiver, one delivery per event once it succeeded.
        assertThat(RECEIVED.poll(1, TimeUnit.SECONDS)).isNull();
    }

    private static Received next() throws InterruptedException {
        Received received = RECEIVED.poll(30, TimeUnit.SECONDS);
        assertThat(received).as("a webhook delivery").isNotNull();
        return received;
    }

    private static HttpServer startReceiver() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/hook", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                int answer = CALLS.incrementAndGet() == 1 ? 500 : 200;
                RECEIVED.add(new Received(
                        answer,
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        JSON.readTree(new String(body, StandardCharsets.UTF_8))));
                exchange.sendResponseHeaders(answer, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
