package dev.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.portcullis.e2e.LauncherFixture.Result;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP path end to end with real processes, as {@code ./portcullis up --demo} starts them: a {@code demo-agent}
 * token → proxy → demo API, with the real credential injected, the policy enforced and the answer masked; and the
 * ways it must fail closed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(ComponentLogsOnFailure.class)
class HttpProxyIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Pattern MASKED_EMAIL = Pattern.compile("[a-z]\\*\\*\\*@example\\.com");

    private static final Pattern RAW_EMAIL = Pattern.compile("[a-z]+\\.[a-z]+\\d+@example\\.com");

    @TempDir
    static Path home;

    static LauncherFixture portcullis;

    static HttpServer odd;

    static String agent;

    static String ops;

    @BeforeAll
    static void up() throws IOException {
        portcullis = new LauncherFixture(home);
        // A short response timeout, so the slow-target case is quick.
        portcullis.env.put(
                "PORTCULLIS_JAVA_OPTS",
                "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
                        + " -Dspring.cloud.gateway.server.webflux.httpclient.response-timeout=3s"
                        + " -Dportcullis.proxy.max-masked-body=64KB -Dportcullis.review.hold=2s");
        Result up = portcullis.launcher("up", "--demo");
        assertThat(up.exitCode()).as(up.output()).isZero();
        agent = portcullis.token("demo-agent");
        ops = portcullis.token("demo-ops");

        // Targets that misbehave, each behind a connection the demo agent may use.
        odd = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        odd.createContext("/slow", exchange -> {
            sleep(6000);
            respond(exchange, "application/json", "{}");
        });
        odd.createContext(
                "/huge",
                exchange -> respond(
                        exchange, "application/json", "[" + "\"filler-text-0123456789\",".repeat(5000) + "\"end\"]"));
        odd.createContext("/malformed", exchange -> respond(exchange, "application/json", "{\"email\": \"a@b.co\""));
        odd.createContext("/tagged", exchange -> {
            exchange.getResponseHeaders().add("ETag", "\"unmasked-v1\"");
            respond(exchange, "application/json", "{\"email\": \"ada@example.com\", \"plan\": \"gold\"}");
        });
        odd.createContext("/binary", exchange -> respond(exchange, "application/octet-stream", "\u0000\u0001"));
        odd.createContext("/api", exchange -> respond(exchange, "application/json", "{\"kind\": \"PodList\"}"));
        // One thread per exchange: /slow must not hold up the requests behind it.
        odd.setExecutor(Executors.newCachedThreadPool());
        odd.start();
        create("/api/v1/connections", """
                {"name": "odd-api", "type": "HTTP", "target": "http://127.0.0.1:%d",
                 "credential": {"kind": "HEADERS", "headers": {"X-Api-Key": "odd-key"}},
                 "allowedGroups": ["ai-agents"]}""".formatted(odd.getAddress().getPort()));
        create("/api/v1/connections", """
                {"name": "dead-api", "type": "HTTP", "target": "http://127.0.0.1:%d",
                 "allowedGroups": ["ai-agents"]}""".formatted(LauncherFixture.freePort()));
        create("/api/v1/connections", """
                {"name": "ops-only", "type": "HTTP", "target": "http://127.0.0.1:9",
                 "allowedGroups": ["admins"]}""");
        create("/api/v1/connections", """
                {"name": "k8s-api", "type": "KUBERNETES", "target": "http://127.0.0.1:%d",
                 "credential": {"kind": "BEARER", "token": "cluster-token"},
                 "allowedGroups": ["ai-agents"]}""".formatted(odd.getAddress().getPort()));
        HttpResponse<String> k8sPolicy = portcullis.send(
                "http://127.0.0.1:" + portcullis.controlPlanePort + "/api/v1/policies",
                "POST",
                ops,
                """
                        name: e2e-k8s
                        connections: [k8s-api]
                        default: ALLOW
                        rules:
                          - name: no-exec-in-prod
                            when: {kubernetes: {resources: [pods/exec], namespaces: [prod]}}
                            action: BLOCK
                            reason: No shells in production
                        """,
                Map.of("Content-Type", "application/yaml"));
        assertThat(k8sPolicy.statusCode()).as(k8sPolicy.body()).isEqualTo(201);
        HttpResponse<String> policy = portcullis.send(
                "http://127.0.0.1:" + portcullis.controlPlanePort + "/api/v1/policies",
                "POST",
                ops,
                """
                        name: e2e-open
                        connections: [odd-api, dead-api, ops-only]
                        default: ALLOW
                        masking:
                          - detectors: [EMAIL]
                        """,
                Map.of("Content-Type", "application/yaml"));
        assertThat(policy.statusCode()).as(policy.body()).isEqualTo(201);
        // The snapshot long poll brings both to the proxy at once; wait until it has them.
        awaitStatus("/c/odd-api/malformed", 502);
    }

    @AfterAll
    static void down() {
        if (odd != null) {
            odd.stop(0);
        }
        if (portcullis != null) {
            portcullis.launcher("down");
        }
    }

    @Test
    @Order(1)
    void agentWhenReadingCustomersThenRealCredentialInjectedAndPersonalDataMasked() {
        HttpResponse<String> response = get("/c/demo-api/customers?limit=20", agent);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode customers = JSON.readTree(response.body());
        assertThat(customers.size()).isEqualTo(20);
        for (JsonNode customer : customers) {
            assertThat(customer.get("email").asString()).matches(MASKED_EMAIL);
            assertThat(customer.get("card_number").asString()).matches("\\*{4} \\*{4} \\*{4} \\d{4}");
            assertThat(customer.get("phone").asString()).doesNotMatch(".*\\d{3}-\\d{4}.*");
        }
        assertThat(RAW_EMAIL.matcher(response.body()).find()).isFalse();
    }

    @Test
    @Order(2)
    void targetWhenEchoingHeadersThenSeesOnlyTheInjectedCredential() {
        HttpResponse<String> response = portcullis.proxy(
                "GET",
                "/c/demo-api/echo",
                agent,
                Map.of("X-Forwarded-For", "6.6.6.6", "Forwarded", "for=6.6.6.6", "X-Trace", "kept"),
                null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode echo = JSON.readTree(response.body());
        // The demo API accepts only its own token, which only Portcullis holds.
        assertThat(echo.get("authorized").asBoolean()).isTrue();
        assertThat(response.body()).doesNotContain(agent).doesNotContain("6.6.6.6");
        assertThat(echo.get("headers").toString().toLowerCase())
                .contains("x-trace")
                .doesNotContain("x-forwarded-for");
    }

    @Test
    @Order(3)
    void agentWhenCallingAdminEndpointThen403WithRuleAndReason() {
        HttpResponse<String> response = get("/c/demo-api/admin/stats", agent);

        assertThat(response.statusCode()).isEqualTo(403);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("rule").asString()).isEqualTo("agents-stay-out-of-admin");
        assertThat(problem.get("reason").asString()).isEqualTo("Agents may not use admin endpoints");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    @Order(4)
    void reviewVerdictWhenNotDecidedWithinTheHoldThen409AndNotForwarded() {
        HttpResponse<String> response = portcullis.proxy("DELETE", "/c/demo-api/customers/3", agent, Map.of(), null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("rule").asString()).isEqualTo("api-deletes");
        assertThat(problem.get("reviewId").asString()).isNotBlank();
        assertThat(get("/c/demo-api/customers/3", agent).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(5)
    void unknownOrForbiddenConnectionThenSame404() {
        HttpResponse<String> unknown = get("/c/no-such-api/x", agent);
        HttpResponse<String> forbidden = get("/c/ops-only/x", agent);

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(forbidden.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(forbidden.body()).get("detail").asString())
                .isEqualTo("There is no connection 'ops-only' that you can use");
    }

    @Test
    @Order(6)
    void proxiedRequestsThenTimedByConnectionDecisionAndStatusRevealingNoConnectionTheCallerMayNotUse() {
        // The requests of the tests before: allowed, blocked, held for review, unknown and forbidden connections.
        String scrape = portcullis
                .send("http://127.0.0.1:" + portcullis.proxyPort + "/actuator/prometheus", "GET", null, null, Map.of())
                .body();

        for (String tags : List.of(
                "connection=\"demo-api\",decision=\"allow\",status=\"200\"",
                "connection=\"demo-api\",decision=\"block\",status=\"403\"",
                "connection=\"demo-api\",decision=\"review\",status=\"409\"",
                "connection=\"unknown\",decision=\"none\",status=\"404\"")) {
            assertThat(scrape).containsPattern("portcullis_proxy_requests_seconds_count\\{[^}]*" + tags + "} [1-9]");
        }
        assertThat(scrape).doesNotContain("no-such-api", "ops-only");
    }

    @Test
    @Order(7)
    void missingForgedOrExpiredTokenThen401WithChallenge() {
        String[] parts = agent.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        for (String token : new String[] {null, "garbage", forged}) {
            HttpResponse<String> response = get("/c/demo-api/customers", token);
            assertThat(response.statusCode()).as(String.valueOf(token)).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
        }
    }

    @Test
    @Order(8)
    void badRequestsThenClearProblems() {
        assertThat(portcullis
                        .proxy("POST", "/c/demo-api/echo", agent, Map.of(), "x".repeat(11 * 1024 * 1024))
                        .statusCode())
                .isEqualTo(413);
        assertThat(chunkedPost("/c/demo-api/echo", 11 * 1024 * 1024).statusCode())
                .as("a body without Content-Length is counted as it arrives")
                .isEqualTo(413);
        assertThat(get("/c/demo-api/customers/..%2Fadmin/stats", agent).statusCode())
                .isEqualTo(400);
        assertThat(get("/c/demo-api/x/../admin/stats", agent).statusCode()).isIn(400, 403);
        assertThat(get("/c/demo-db/anything", agent).statusCode()).isEqualTo(400);
    }

    /** POSTs {@code size} bytes as a chunked body: no Content-Length for the proxy to judge it by up front. */
    private HttpResponse<String> chunkedPost(String path, int size) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + portcullis.proxyPort + path))
                .header("Authorization", "Bearer " + agent)
                .header("Content-Type", "application/json")
                .timeout(LauncherFixture.HTTP_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream("x".repeat(size).getBytes(StandardCharsets.UTF_8))))
                .build();
        return portcullis.exchange(request);
    }

    @Test
    @Order(9)
    void targetDownSlowOrUnmaskableThenProblemNeverUnmaskedBody() {
        HttpResponse<String> down = get("/c/dead-api/x", agent);
        assertThat(down.statusCode()).as(down.body()).isEqualTo(502);

        HttpResponse<String> slow = get("/c/odd-api/slow", agent);
        assertThat(slow.statusCode()).as(slow.body()).isEqualTo(504);

        HttpResponse<String> huge = get("/c/odd-api/huge", agent);
        assertThat(huge.statusCode()).isEqualTo(502);
        assertThat(huge.body()).contains("65536 bytes").doesNotContain("filler-text");

        HttpResponse<String> malformed = get("/c/odd-api/malformed", agent);
        assertThat(malformed.statusCode()).isEqualTo(502);
        assertThat(malformed.body()).doesNotContain("a@b.co");

        assertThat(get("/c/odd-api/binary", agent).statusCode()).isEqualTo(502);
    }

    @Test
    @Order(9)
    void maskedBodyWhenTargetSentAnEtagThenEtagDropped() {
        HttpResponse<String> tagged = get("/c/odd-api/tagged", agent);

        assertThat(tagged.statusCode()).isEqualTo(200);
        assertThat(tagged.body()).doesNotContain("ada@example.com").contains("gold");
        // The target's validator names a body the caller never got.
        assertThat(tagged.headers().firstValue("ETag")).isEmpty();
    }

    @Test
    @Order(9)
    void kubernetesConnectionWhenExecInProdThenBlockedButReadsPass() {
        HttpResponse<String> exec = portcullis.proxy(
                "POST", "/c/k8s-api/api/v1/namespaces/prod/pods/web-1/exec?command=sh", agent, Map.of(), "");
        HttpResponse<String> list = get("/c/k8s-api/api/v1/namespaces/prod/pods", agent);
        HttpResponse<String> execElsewhere =
                portcullis.proxy("POST", "/c/k8s-api/api/v1/namespaces/dev/pods/web-1/exec", agent, Map.of(), "");

        assertThat(exec.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(exec.body()).get("rule").asString()).isEqualTo("no-exec-in-prod");
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        assertThat(execElsewhere.statusCode()).isEqualTo(200);
    }

    @Test
    @Order(10)
    void fleetWhenProxyRunningThenListedWithItsSnapshotVersion() {
        // A node reports at start and again whenever it takes a new snapshot.
        JsonNode node = null;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> fleet = portcullis.controlPlane("GET", "/api/v1/proxy-nodes", ops, null);
            assertThat(fleet.statusCode()).isEqualTo(200);
            node = JSON.readTree(fleet.body()).get(0);
            if (node != null && node.path("snapshotVersion").asLong() > 0) {
                break;
            }
            sleep(250);
        }

        assertThat(node).isNotNull();
        assertThat(node.get("id").asString()).endsWith(":" + portcullis.proxyPort);
        assertThat(node.get("snapshotVersion").asLong()).isPositive();
    }

    @Test
    @Order(11)
    void disableWhenAgentHoldsUnexpiredTokenThenRefusedWithinFiveSeconds() throws Exception {
        assertThat(get("/c/demo-api/customers?limit=1", agent).statusCode()).isEqualTo(200);

        HttpResponse<String> disabled =
                portcullis.controlPlane("POST", "/api/v1/service-accounts/demo-agent/disable", ops, null);
        assertThat(disabled.statusCode()).isEqualTo(200);
        long start = System.nanoTime();
        int status = 200;
        while (status == 200 && System.nanoTime() - start < 10_000_000_000L) {
            status = get("/c/demo-api/customers?limit=1", agent).statusCode();
            if (status == 200) {
                Thread.sleep(100);
            }
        }
        long refusedAfterMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(status).isEqualTo(401);
        assertThat(refusedAfterMillis)
                .as("refused after %d ms", refusedAfterMillis)
                .isLessThanOrEqualTo(5000);
        assertThat(portcullis
                        .controlPlane("POST", "/api/v1/service-accounts/demo-agent/enable", ops, null)
                        .statusCode())
                .isEqualTo(200);
        awaitStatus("/c/demo-api/customers?limit=1", 200);
    }

    @Test
    @Order(12)
    void controlPlaneStoppedThenAllowedRequestsContinueOnTheCachedSnapshot() throws Exception {
        long controlPlane = portcullis.recordedPids().get("control-plane");
        ProcessHandle.of(controlPlane).orElseThrow().destroy();
        ProcessHandle.of(controlPlane).orElseThrow().onExit().get(60, TimeUnit.SECONDS);

        HttpResponse<String> allowed = get("/c/demo-api/customers?limit=2", agent);
        HttpResponse<String> blocked = get("/c/demo-api/admin/stats", agent);

        assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
        assertThat(allowed.body()).doesNotContainPattern(RAW_EMAIL);
        assertThat(blocked.statusCode()).isEqualTo(403);
        Result again = portcullis.launcher("up", "--demo");
        assertThat(again.exitCode()).as(again.output()).isZero();
    }

    @Test
    @Order(13)
    void proxyWhenNoSnapshotAndControlPlaneAwayThenRefusesEverythingWith503() throws Exception {
        int port = LauncherFixture.freePort();
        Path emptyHome = home.resolve("lonely-proxy");
        Process proxy = new ProcessBuilder(
                        "java",
                        "-Xmx256m",
                        "-jar",
                        LauncherFixture.ROOT
                                .resolve("proxy-node/target/proxy-node.jar")
                                .toString(),
                        "--server.port=" + port,
                        "--portcullis.proxy.home=" + emptyHome,
                        "--portcullis.proxy.control-plane-url=http://127.0.0.1:" + LauncherFixture.freePort(),
                        "--portcullis.proxy.client-secret=irrelevant")
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("lonely-proxy.log").toFile())
                .start();
        try {
            HttpResponse<String> response = null;
            for (int i = 0; i < 120 && response == null; i++) {
                try {
                    response = portcullis.send(
                            "http://127.0.0.1:" + port + "/c/demo-api/customers", "GET", agent, null, Map.of());
                } catch (java.io.UncheckedIOException notYetListening) {
                    Thread.sleep(500);
                }
            }
            assertThat(response).isNotNull();
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(response.body()).get("detail").asString()).contains("no policy snapshot");
        } finally {
            proxy.destroy();
            proxy.onExit().get(60, TimeUnit.SECONDS);
        }
    }

    private static HttpResponse<String> get(String path, String token) {
        return portcullis.proxy("GET", path, token, Map.of(), null);
    }

    private static void create(String path, String json) {
        HttpResponse<String> response = portcullis.controlPlane("POST", path, ops, json);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private static void awaitStatus(String path, int expected) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        int status = -1;
        while (System.nanoTime() < deadline) {
            status = get(path, agent).statusCode();
            if (status == expected) {
                return;
            }
            sleep(200);
        }
        assertThat(status).as("GET %s", path).isEqualTo(expected);
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, String type, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
