package dev.portcullis.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.timeout.ReadTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/** The response timeout against a real local server, over real connections. */
class TargetResponseTimeoutTests {

    private static final Duration TIMEOUT = Duration.ofMillis(400);

    /** The client ports the server saw requests from: one per connection. */
    private final Set<Integer> connections = ConcurrentHashMap.newKeySet();

    private DisposableServer server;

    private ConnectionProvider pool;

    private HttpClient client;

    @BeforeEach
    void start() {
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.get(
                                "/slow-headers",
                                (request, response) -> Mono.delay(Duration.ofMillis(1500))
                                        .then(response.sendString(Mono.just("late"))
                                                .then()))
                        .get(
                                "/slow-body",
                                (request, response) -> response.sendString(
                                        Flux.just("a", "b", "c").delayElements(Duration.ofMillis(300))))
                        .get("/fast", (request, response) -> {
                            connections.add(request.remoteAddress().getPort());
                            return response.sendString(Mono.just("fast"));
                        }))
                .bindNow();
        pool = ConnectionProvider.create("timeout-test", 1);
        HttpClientProperties properties = new HttpClientProperties();
        properties.setResponseTimeout(TIMEOUT);
        client = new TargetResponseTimeout(properties)
                .customize(HttpClient.create(pool).baseUrl("http://127.0.0.1:" + server.port()));
    }

    @AfterEach
    void stop() {
        server.disposeNow();
        pool.disposeLater().block(Duration.ofSeconds(5));
    }

    private String get(String path) {
        return client.get().uri(path).responseContent().aggregate().asString().block(Duration.ofSeconds(10));
    }

    @Test
    void whenHeadersComeLaterThanTheTimeoutThenReadTimeout() {
        assertThatThrownBy(() -> get("/slow-headers")).satisfies(e -> {
            List<Throwable> causes = new ArrayList<>();
            for (Throwable t = e; t != null; t = t.getCause()) {
                causes.add(t);
            }
            assertThat(causes).hasAtLeastOneElementOfType(ReadTimeoutException.class);
        });
    }

    @Test
    void whenHeadersComeInTimeThenABodySlowerThanTheTimeoutIsNotCut() {
        // Three parts 300 ms apart: 900 ms of body, more than twice the timeout.
        assertThat(get("/slow-body")).isEqualTo("abc");
    }

    @Test
    void whenAnsweredThenTheTimerIsCancelledAndTheConnectionServesTheNextRequest() throws InterruptedException {
        assertThat(get("/fast")).isEqualTo("fast");
        // Longer than the timeout: a timer left running would close the pooled connection meanwhile.
        Thread.sleep(TIMEOUT.toMillis() * 2);

        assertThat(get("/fast")).isEqualTo("fast");
        assertThat(connections).hasSize(1);
    }

    @Test
    void whenNoTimeoutConfiguredThenTheClientIsUnchanged() {
        HttpClient plain = HttpClient.create();

        assertThat(new TargetResponseTimeout(new HttpClientProperties()).customize(plain))
                .isSameAs(plain);
    }
}
