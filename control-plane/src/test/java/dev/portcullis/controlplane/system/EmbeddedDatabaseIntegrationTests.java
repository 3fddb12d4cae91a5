package dev.portcullis.controlplane.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.controlplane.ApiClient;
import dev.portcullis.controlplane.ApiClient.Response;
import dev.portcullis.controlplane.ControlPlaneApplication;
import dev.portcullis.controlplane.connections.ConnectionService;
import dev.portcullis.policy.connection.Credential;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The laptop default: no datasource URL, so the control plane runs its own PostgreSQL under
 * {@code $PORTCULLIS_HOME/pgdata}; what it stores survives a restart, and the demo data is made once.
 */
class EmbeddedDatabaseIntegrationTests {

    @TempDir
    Path home;

    @Test
    void restartWhenEmbeddedThenConnectionsAndDemoDataSurvive() throws Exception {
        int dbPort = freePort();
        String secret = "restart-secret-value";
        String demoTarget;

        String token;
        try (ConfigurableApplicationContext first = start(dbPort)) {
            token = ApiClient.token(port(first), "demo-ops", demoSecret("demo-ops"));
            ApiClient api = ApiClient.bearer(port(first), token);
            Response created = api.postJson("/api/v1/connections", """
                    {"name": "survivor", "type": "HTTP", "target": "http://127.0.0.1:9999",
                     "credential": {"kind": "BEARER", "token": "%s"}}
                    """.formatted(secret));
            assertThat(created.status()).isEqualTo(201);
            demoTarget =
                    api.get("/api/v1/connections/demo-db").json().get("target").asString();
            assertThat(demoTarget).isEqualTo("postgresql://127.0.0.1:" + dbPort + "/demo");
            assertThat(customersVia(first)).isEqualTo(300);
        }
        assertThat(home.resolve("pgdata/PG_VERSION")).exists();
        assertThat(Files.readString(home.resolve("pgdata/PG_VERSION")).strip()).isEqualTo("17");

        try (ConfigurableApplicationContext second = start(dbPort)) {
            // The issuer's signing key is kept: a token from before the restart still works.
            ApiClient api = ApiClient.bearer(port(second), token);
            Response survivor = api.get("/api/v1/connections/survivor");
            assertThat(survivor.status()).isEqualTo(200);
            assertThat(survivor.body()).doesNotContain(secret);
            assertThat(second.getBean(ConnectionService.class).credentialOf("survivor"))
                    .isEqualTo(new Credential.Bearer(secret));
            // The demo is set up once: same connection, same rows, the policy still at its first version.
            assertThat(api.get("/api/v1/connections/demo-db")
                            .json()
                            .get("target")
                            .asString())
                    .isEqualTo(demoTarget);
            assertThat(customersVia(second)).isEqualTo(300);
            assertThat(api.get("/api/v1/policies/demo-guardrails")
                            .json()
                            .get("version")
                            .asInt())
                    .isEqualTo(1);
        }
    }

    private String demoSecret(String serviceAccount) throws Exception {
        java.util.Properties credentials = new java.util.Properties();
        try (var in = Files.newInputStream(home.resolve("demo-credentials.properties"))) {
            credentials.load(in);
        }
        assertThat(credentials.stringPropertyNames())
                .contains(
                        "admin.password",
                        "approver.password",
                        "auditor.password",
                        "demo-agent.client-secret",
                        "demo-ops.client-secret");
        return credentials.getProperty(serviceAccount + ".client-secret");
    }

    /** Logs in to the demo database with the credential only the connection holds, and counts the customers. */
    private static long customersVia(ConfigurableApplicationContext context) throws Exception {
        Credential.Password credential =
                (Credential.Password) context.getBean(ConnectionService.class).credentialOf("demo-db");
        String target = context.getBean(ConnectionService.class).get("demo-db").target();
        String jdbcUrl = "jdbc:" + target;
        try (Connection c = DriverManager.getConnection(jdbcUrl, credential.username(), credential.password());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select count(*), count(distinct email) from customers")) {
            rs.next();
            assertThat(rs.getLong(2)).isEqualTo(rs.getLong(1));
            return rs.getLong(1);
        }
    }

    private ConfigurableApplicationContext start(int dbPort) {
        return new SpringApplicationBuilder(ControlPlaneApplication.class)
                .run(
                        "--server.port=0",
                        "--portcullis.home=" + home,
                        "--portcullis.embedded-db.port=" + dbPort,
                        "--portcullis.admin.password=embedded-admin",
                        "--portcullis.demo.enabled=true");
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
