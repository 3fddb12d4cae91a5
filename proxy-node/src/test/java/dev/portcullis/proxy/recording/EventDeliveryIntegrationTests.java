package dev.portcullis.proxy.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.portcullis.proxy.controlplane.ControlPlaneClient;
import dev.portcullis.proxy.system.ProxyProperties;
import dev.portcullis.recording.EventTypes;
import dev.portcullis.recording.SessionEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/** The recorder, spool and delivery against a stand-in control plane over real HTTP, with the real client. */
class EventDeliveryIntegrationTests {

    @TempDir
    Path home;

    private final StandInControlPlane ingest = new StandInControlPlane();

    private final AtomicInteger tokensIssued = new AtomicInteger();

    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    private HttpServer server;

    private SessionRecorder recorder;

    @BeforeEach
    void startControlPlane() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/oauth2/token", exchange -> {
            String expected =
                    "Basic " + Base64.getEncoder().encodeToString("proxy-node:s3cret".getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                respond(exchange, 401, "{}");
                return;
            }
            respond(
                    exchange,
                    200,
                    "{\"access_token\":\"token-" + tokensIssued.incrementAndGet() + "\",\"expires_in\":3600}");
        });
        server.createContext("/api/v1/proxy/events", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            try {
                ControlPlaneClient.EventsResponse response = ingest.post(body);
                respond(
                        exchange,
                        200,
                        "{\"accepted\":" + response.accepted() + ",\"duplicates\":" + response.duplicates()
                                + ",\"broken\":[]}");
            } catch (ControlPlaneClient.RefusedException e) {
                respond(exchange, e.status(), "{}");
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        if (recorder != null && recorder.isRunning()) {
            recorder.stop();
        }
        server.stop(0);
    }

    private SessionRecorder startRecorder() {
        ProxyProperties properties = new ProxyProperties(
                home,
                "proxy-it",
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                "proxy-node",
                "s3cret",
                null,
                null,
                null,
                "portcullis",
                "groups",
                Duration.ofSeconds(30),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                DataSize.ofMegabytes(10),
                DataSize.ofMegabytes(1),
                new ProxyProperties.Filters(true, true, true, true, true),
                new ProxyProperties.Recording(
                        true,
                        Duration.ofMinutes(5),
                        DataSize.ofGigabytes(1),
                        50,
                        Duration.ofMillis(10),
                        Duration.ofMillis(100),
                        DataSize.ofKilobytes(64),
                        Duration.ofMillis(10),
                        Duration.ofMillis(200)));
        ControlPlaneClient client =
                new ControlPlaneClient(properties, JsonMapper.builder().build());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        EventSpool spool = EventSpool.open(
                properties.spoolDirectory(),
                1L << 30,
                properties.recording().spoolCommitInterval(),
                Clock.systemUTC(),
                meters);
        EventDelivery delivery = new EventDelivery(
                spool,
                client::postEvents,
                properties.effectiveNodeId(8082),
                properties.recording().batchSize(),
                properties.recording().retryMin(),
                properties.recording().retryMax(),
                properties.recording().deliveryLinger(),
                meters);
        recorder = new SessionRecorder(spool, delivery, Duration.ofMinutes(5), Clock.systemUTC(), meters);
        recorder.start();
        return recorder;
    }

    @Test
    void deliverWhenControlPlaneDownThenUpThenEverySessionArrivesCompleteInOrderOnce() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            ingest.downWith = 503;
            startRecorder();
            ExecutorService callers = Executors.newFixedThreadPool(4);
            List<Future<UUID>> sessions = new ArrayList<>();
            for (int s = 0; s < 12; s++) {
                int n = s;
                sessions.add(callers.submit(() -> {
                    RecordedSession session = recorder.open(
                            "token-" + n + "|conn", Map.of("subject", "agent-" + (n % 3), "connection", "demo"));
                    for (int i = 0; i < 60; i++) {
                        session.record(EventTypes.HTTP_REQUEST, Map.of("path", "/items/" + i));
                        session.record(EventTypes.HTTP_RESPONSE, Map.of("status", 200));
                    }
                    return session.id();
                }));
            }
            List<UUID> ids = new ArrayList<>();
            for (Future<UUID> session : sessions) {
                ids.add(session.get());
            }
            callers.shutdown();
            Await.until("retries while down", () -> ingest.requests.get() >= 3);
            assertThat(ingest.storedCount()).isZero();

            ingest.downWith = 0;
            recorder.endSubject("agent-0", "revoked");
            Await.until("everything delivered", () -> ingest.storedCount() == 12 * 121 + 4);

            assertThat(ingest.proxyNodes).containsOnly("proxy-it");
            assertThat(authorizations).allMatch(a -> a.startsWith("Bearer token-"));
            assertThat(tokensIssued.get()).isEqualTo(1);
            Map<UUID, List<SessionEvent>> stored = ingest.sessionsInArrivalOrder();
            assertThat(stored).containsOnlyKeys(ids);
            for (List<SessionEvent> chain : stored.values()) {
                assertThat(SpoolFixtures.verify(chain).valid()).isTrue();
                assertThat(chain.get(0).type()).isEqualTo(EventTypes.SESSION_START);
            }
        });
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
