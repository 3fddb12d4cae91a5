package dev.portcullis.controlplane.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.portcullis.controlplane.ApiClient;
import dev.portcullis.controlplane.ControlPlaneApplication;
import dev.portcullis.testsupport.PostgresFixture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Production mode: {@code portcullis.oidc.issuer-uri} names an external issuer, here a second, independent one started
 * by the test (discovery document and JWKS over real HTTP, its own signing key, groups in a {@code teams} claim). The
 * built-in issuer is off.
 */
class ExternalIssuerIntegrationTests {

    @TempDir
    static Path home;

    static HttpServer idp;

    static RSAKey idpKey;

    static String issuer;

    static PostgresFixture.Database db;

    static ConfigurableApplicationContext controlPlane;

    static int port;

    @BeforeAll
    static void start() throws Exception {
        idpKey = new RSAKeyGenerator(2048).keyID("external-1").generate();
        idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer = "http://127.0.0.1:" + idp.getAddress().getPort() + "/realms/corp";
        String discovery = """
                {"issuer": "%s", "jwks_uri": "%s/protocol/openid-connect/certs",
                 "authorization_endpoint": "%s/auth", "token_endpoint": "%s/token",
                 "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"],
                 "response_types_supported": ["code"]}""".formatted(issuer, issuer, issuer, issuer);
        String jwks = new JWKSet(idpKey.toPublicJWK()).toString();
        idp.createContext("/realms/corp/.well-known/openid-configuration", exchange -> respond(exchange, discovery));
        idp.createContext("/realms/corp/protocol/openid-connect/certs", exchange -> respond(exchange, jwks));
        idp.start();

        db = PostgresFixture.newDatabase("external_idp");
        controlPlane = new SpringApplicationBuilder(ControlPlaneApplication.class)
                .run(
                        "--server.port=0",
                        "--spring.datasource.url=" + db.jdbcUrl(),
                        "--spring.datasource.username=" + db.username(),
                        "--spring.datasource.password=" + db.password(),
                        "--portcullis.home=" + home,
                        "--portcullis.master-key=" + "c".repeat(64),
                        "--portcullis.admin.password=irrelevant-here",
                        "--portcullis.oidc.issuer-uri=" + issuer,
                        "--portcullis.oidc.groups-claim=teams",
                        "--portcullis.oidc.role-mapping.platform-admins=admin",
                        "--portcullis.oidc.role-mapping.sec-ops=auditor");
        port = ((WebServerApplicationContext) controlPlane).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        if (controlPlane != null) {
            controlPlane.close();
        }
        if (idp != null) {
            idp.stop(0);
        }
    }

    @Test
    void tokenWhenFromExternalIssuerWithMappedGroupThenAdminApiAnswers() throws Exception {
        String token = token(idpKey, issuer, List.of("platform-admins"));

        ApiClient.Response response = ApiClient.bearer(port, token).get("/api/v1/connections");

        assertThat(response.status()).isEqualTo(200);
        ApiClient.Response created = ApiClient.bearer(port, token).postJson("/api/v1/connections", """
                {"name": "ext-made", "type": "HTTP", "target": "http://127.0.0.1:9"}""");
        assertThat(created.json().get("createdBy").asString()).isEqualTo("jane@corp.example");
    }

    @Test
    void tokenWhenGroupMapsToAnotherRoleOrNoneThen403() throws Exception {
        assertThat(ApiClient.bearer(port, token(idpKey, issuer, List.of("sec-ops")))
                        .get("/api/v1/connections")
                        .status())
                .isEqualTo(403);
        assertThat(ApiClient.bearer(port, token(idpKey, issuer, List.of("admins")))
                        .get("/api/v1/connections")
                        .status())
                .isEqualTo(403);
    }

    @Test
    void tokenWhenSignedByOtherKeyOrOtherIssuerThen401() throws Exception {
        RSAKey other = new RSAKeyGenerator(2048).keyID("external-1").generate();

        assertThat(ApiClient.bearer(port, token(other, issuer, List.of("platform-admins")))
                        .get("/api/v1/connections")
                        .status())
                .isEqualTo(401);
        assertThat(ApiClient.bearer(port, token(idpKey, "http://evil.example", List.of("platform-admins")))
                        .get("/api/v1/connections")
                        .status())
                .isEqualTo(401);
    }

    @Test
    void builtInIssuerWhenExternalConfiguredThenSwitchedOff() throws Exception {
        ApiClient anonymous = ApiClient.anonymous(port);

        assertThat(anonymous.get("/.well-known/openid-configuration").status()).isNotEqualTo(200);
        assertThat(anonymous.get("/oauth2/jwks").status()).isNotEqualTo(200);
        assertThat(ApiClient.clientCredentials(port, "anyone", "anything").status())
                .isNotEqualTo(200);
        assertThat(controlPlane.getBeanNamesForType(SigningKeys.class)).isEmpty();
        try (Connection c = db.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select count(*) from signing_keys")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    private static String token(RSAKey key, String iss, List<String> teams) throws Exception {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder()
                        .issuer(iss)
                        .subject("jane@corp.example")
                        .audience(List.of("portcullis", "account"))
                        .issueTime(Date.from(now))
                        .expirationTime(Date.from(now.plusSeconds(300)))
                        .jwtID(UUID.randomUUID().toString())
                        .claim("teams", teams)
                        .build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, String body) throws java.io.IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
