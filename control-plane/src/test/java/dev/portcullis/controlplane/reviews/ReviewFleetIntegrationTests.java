package dev.portcullis.controlplane.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.controlplane.ApiClient;
import dev.portcullis.controlplane.ControlPlaneApplication;
import dev.portcullis.controlplane.audit.AuditLog;
import dev.portcullis.controlplane.identity.ServiceAccountRequest;
import dev.portcullis.controlplane.identity.ServiceAccounts;
import dev.portcullis.testsupport.PostgresFixture;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two control-plane instances on one database, as behind a load balancer: a proxy's long poll on one instance wakes
 * when an approver decides on the other.
 */
class ReviewFleetIntegrationTests {

    private static ConfigurableApplicationContext first;

    private static ConfigurableApplicationContext second;

    @BeforeAll
    static void start() throws Exception {
        PostgresFixture.Database db = PostgresFixture.newDatabase("review_fleet");
        first = start(db);
        second = start(db);
    }

    @AfterAll
    static void stop() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
    }

    @Test
    void decideWhenOnOtherInstanceThenLongPollWakes() throws Exception {
        ApiClient proxy = ApiClient.bearer(port(first), token(first, "fleet-proxy", List.of("proxies")));
        ApiClient approver = ApiClient.bearer(port(second), token(second, "fleet-approver", List.of("approvers")));
        String id = proxy.postJson("/api/v1/proxy/reviews", """
                        {"connection": "demo-db", "subject": "fleet-agent", "command": "DELETE FROM customers",
                         "commandHash": "%s", "rule": "unscoped-writes", "approverGroups": ["approvers"],
                         "approvals": 1, "proxyNode": "node-f"}
                        """.formatted("ef".repeat(32)))
                .json()
                .get("id")
                .asString();

        CompletableFuture<ApiClient.Response> poll =
                CompletableFuture.supplyAsync(() -> proxy.get("/api/v1/proxy/reviews/" + id + "?wait=PT30S"));
        Thread.sleep(500);
        assertThat(poll).isNotDone();
        assertThat(approver.postJson("/api/v1/reviews/" + id + "/approve", "{}").status())
                .isEqualTo(200);

        ApiClient.Response woken = poll.get(20, TimeUnit.SECONDS);
        assertThat(woken.json().get("status").asString()).isEqualTo("APPROVED");
        assertThat(woken.json().get("decisions").get(0).get("by").asString()).isEqualTo("fleet-approver");
    }

    private static String token(ConfigurableApplicationContext instance, String name, List<String> groups) {
        String secret = first.getBean(ServiceAccounts.class)
                .create(new ServiceAccountRequest(name, "test", groups, null), AuditLog.SYSTEM_ACTOR)
                .clientSecret();
        return ApiClient.token(port(instance), name, secret);
    }

    private static int port(ConfigurableApplicationContext instance) {
        return ((WebServerApplicationContext) instance).getWebServer().getPort();
    }

    private static ConfigurableApplicationContext start(PostgresFixture.Database db) throws Exception {
        return new SpringApplicationBuilder(ControlPlaneApplication.class)
                .run(
                        "--server.port=0",
                        "--spring.datasource.url=" + db.jdbcUrl(),
                        "--spring.datasource.username=" + db.username(),
                        "--spring.datasource.password=" + db.password(),
                        "--portcullis.home=" + Files.createTempDirectory("portcullis-fleet-"),
                        "--portcullis.master-key=" + "d".repeat(64),
                        "--portcullis.admin.password=irrelevant-here");
    }
}
