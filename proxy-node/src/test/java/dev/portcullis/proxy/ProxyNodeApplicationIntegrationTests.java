package dev.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "portcullis.proxy.home=target/proxy-node-it-home")
class ProxyNodeApplicationIntegrationTests {

    @LocalServerPort
    int port;

    @Test
    void healthWhenStartedThenUp() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void prometheusWhenScrapedThenTaggedWithComponent() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("component=\"proxy-node\"");
        assertThat(response.body())
                .contains(
                        "portcullis_spool_bytes",
                        "portcullis_spool_delivery_lag_seconds",
                        "portcullis_events_recorded");
    }

    @Test
    void proxiedRequestWhenRefusedThenTimedByConnectionDecisionAndStatusNotAsHttpServerRequests() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        // No control plane in this test: the proxy has no snapshot and refuses everything with 503.
        HttpResponse<String> refused = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/c/made-up-name/x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(503);

        String scrape = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();

        assertThat(scrape)
                .containsPattern("portcullis_proxy_requests_seconds_count\\{component=\"proxy-node\","
                        + "connection=\"unknown\",decision=\"none\",status=\"503\"} [1-9]");
        assertThat(scrape).doesNotContain("made-up-name", "http_server_requests");
    }
}
