package dev.portcullis.controlplane.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.controlplane.ApiClient;
import dev.portcullis.controlplane.ApiClient.Response;
import dev.portcullis.controlplane.ApiIntegrationTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class IdentityApiIntegrationTests extends ApiIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void tokenWhenClientCredentialsThenShortLivedJwtWithIdentityClaims() {
        String name = unique("agent");
        String secret = secretOf(name, List.of("ai-agents"));

        Response response = ApiClient.clientCredentials(port, name, secret);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("expires_in").asInt()).isBetween(1, 600);
        JsonNode claims = claims(response.json().get("access_token").asString());
        assertThat(claims.get("sub").asString()).isEqualTo(name);
        assertThat(claims.get("client_id").asString()).isEqualTo(name);
        assertThat(claims.get("azp").asString()).isEqualTo(name);
        assertThat(claims.get("groups").toString()).isEqualTo("[\"ai-agents\"]");
        assertThat(claims.get("aud").toString()).contains("portcullis");
        assertThat(claims.get("jti").asString()).isNotBlank();
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isLessThanOrEqualTo(600);
    }

    @Test
    void agentTokenWhenCallingAnyAdminEndpointThen403() {
        ApiClient agent = as(unique("agent"), List.of("ai-agents", "admins"));

        for (String path : List.of(
                "/api/v1/connections",
                "/api/v1/policies",
                "/api/v1/users",
                "/api/v1/service-accounts",
                "/api/v1/audit-log",
                "/api/v1/proxy/snapshot?wait=0")) {
            assertThat(agent.get(path).status()).as(path).isEqualTo(403);
        }
        assertThat(agent.postJson("/api/v1/service-accounts", "{\"name\": \"x\"}")
                        .status())
                .isEqualTo(403);
    }

    @Test
    void tokenWhenUnknownClientOrWrongSecretThen401WithoutSayingWhich() {
        String name = unique("svc");
        secretOf(name, List.of());

        Response unknown = ApiClient.clientCredentials(port, "no-such-client", "whatever");
        Response wrongSecret = ApiClient.clientCredentials(port, name, "wrong-secret");

        assertThat(unknown.status()).isEqualTo(401);
        assertThat(wrongSecret.status()).isEqualTo(401);
        assertThat(unknown.json().get("error").asString()).isEqualTo("invalid_client");
        assertThat(wrongSecret.body()).isEqualTo(unknown.body());
    }

    @Test
    void serviceAccountWhenCreatedThenSecretShownOnceAndStoredAsHash() throws Exception {
        String name = unique("bot");
        Response created = admin().postJson("/api/v1/service-accounts", """
                {"name": "%s", "groups": ["auditors"], "description": "nightly report"}""".formatted(name));

        assertThat(created.status()).isEqualTo(201);
        String secret = created.json().get("clientSecret").asString();
        assertThat(secret).hasSizeGreaterThanOrEqualTo(32);
        assertThat(created.json().get("serviceAccount").get("tokenTtlSeconds").asInt())
                .isEqualTo(600);
        assertThat(admin().get("/api/v1/service-accounts/" + name).body()).doesNotContain(secret);
        assertThat(admin().get("/api/v1/service-accounts").body()).doesNotContain(secret);
        try (Connection c = DATABASE.connect();
                PreparedStatement ps = c.prepareStatement("select s::text from service_accounts s where name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).doesNotContain(secret).contains("{bcrypt}");
            }
        }
        assertThat(ApiClient.clientCredentials(port, name, secret).status()).isEqualTo(200);

        Response rotated = admin().post("/api/v1/service-accounts/" + name + "/rotate-secret", "application/json", "");
        String newSecret = rotated.json().get("clientSecret").asString();
        assertThat(newSecret).isNotEqualTo(secret);
        assertThat(ApiClient.clientCredentials(port, name, secret).status()).isEqualTo(401);
        assertThat(ApiClient.clientCredentials(port, name, newSecret).status()).isEqualTo(200);
        assertThat(admin().get("/api/v1/audit-log?resourceName=" + name).body())
                .contains("service-account.create", "service-account.rotate-secret", "service-account.token-issued")
                .doesNotContain(secret)
                .doesNotContain(newSecret);
    }

    @Test
    void serviceAccountWhenInvalidOrTakenThenProblem() {
        assertThat(admin().postJson("/api/v1/service-accounts", "{\"name\": \"Bad Name\"}")
                        .status())
                .isEqualTo(400);
        assertThat(admin().postJson("/api/v1/service-accounts", "{\"name\": \"x\", \"tokenTtlSeconds\": 999999}")
                        .json()
                        .get("problems")
                        .get(0)
                        .get("path")
                        .asString())
                .isEqualTo("tokenTtlSeconds");
        String name = unique("dup");
        secretOf(name, List.of());
        assertThat(admin().postJson("/api/v1/service-accounts", "{\"name\": \"%s\"}".formatted(name))
                        .status())
                .isEqualTo(409);
        assertThat(admin().get("/api/v1/service-accounts/nope").status()).isEqualTo(404);
        assertThat(admin().post("/api/v1/service-accounts/nope/disable", "application/json", "")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void disableWhenServiceAccountHasUnexpiredTokenThenTokenAndSecretStopWorking() {
        String name = unique("victim");
        ApiClient victim = as(name, List.of("auditors", "admins"));
        assertThat(victim.get("/api/v1/audit-log?size=1").status()).isEqualTo(200);

        Response disabled = admin().post("/api/v1/service-accounts/" + name + "/disable", "application/json", "");

        assertThat(disabled.status()).isEqualTo(200);
        assertThat(disabled.json().get("enabled").asBoolean()).isFalse();
        // The unexpired token is refused at once: the API reads revocations fresh on a write.
        Response refused = victim.get("/api/v1/audit-log?size=1");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(h -> assertThat(h).contains("invalid_token"));
        assertThat(ApiClient.clientCredentials(port, name, secretOf(name, List.of()))
                        .status())
                .isEqualTo(401);

        admin().post("/api/v1/service-accounts/" + name + "/enable", "application/json", "");
        assertThat(as(name, List.of()).get("/api/v1/audit-log?size=1").status()).isEqualTo(200);
    }

    @Test
    void disableWhenProxyLongPollsThenNextSnapshotListsSubjectWithinOneSecond() throws Exception {
        String name = unique("cut-off");
        secretOf(name, List.of("ai-agents"));
        ApiClient proxy = as("test-proxy", List.of("proxies"));
        Response first = proxy.get("/api/v1/proxy/snapshot");
        assertThat(first.status()).isEqualTo(200);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(first.json().get("revokedSubjects").toString()).doesNotContain(name);
        assertThat(proxy.getWithHeader("/api/v1/proxy/snapshot?wait=0", "If-None-Match", etag)
                        .status())
                .isEqualTo(304);

        CompletableFuture<Response> poll = CompletableFuture.supplyAsync(
                () -> proxy.getWithHeader("/api/v1/proxy/snapshot?wait=30", "If-None-Match", etag));
        Thread.sleep(300);
        assertThat(poll).isNotDone();
        long disabledAt = System.nanoTime();
        admin().post("/api/v1/service-accounts/" + name + "/disable", "application/json", "");
        Response next = poll.get(10, TimeUnit.SECONDS);
        long wokeAfterMillis = (System.nanoTime() - disabledAt) / 1_000_000;

        assertThat(next.status()).isEqualTo(200);
        assertThat(next.json().get("revokedSubjects").toString()).contains(name);
        assertThat(next.headers().firstValue("ETag")).isNotEqualTo(java.util.Optional.of(etag));
        assertThat(wokeAfterMillis)
                .as("long poll woke after %d ms", wokeAfterMillis)
                .isLessThan(1000);
        assertThat(next.body()).doesNotContain("credentialCiphertext");
    }

    @Test
    void usersWhenCreatedThenPasswordHashedAndDisableRevokes() {
        String name = unique("alice");
        Response created = admin().postJson("/api/v1/users", """
                {"username": "%s", "groups": ["approvers"], "email": "alice@example.com"}""".formatted(name));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("generatedPassword").asString()).hasSizeGreaterThanOrEqualTo(24);
        assertThat(created.json().get("user").get("groups").toString()).isEqualTo("[\"approvers\"]");
        assertThat(admin().get("/api/v1/users/" + name).body()).doesNotContain("password");
        assertThat(admin().post("/api/v1/users/" + name + "/disable", "application/json", "")
                        .json()
                        .get("enabled")
                        .asBoolean())
                .isFalse();
        assertThat(as("test-proxy", List.of("proxies"))
                        .get("/api/v1/proxy/snapshot")
                        .json()
                        .get("revokedSubjects")
                        .toString())
                .contains(name);
        assertThat(admin().postJson("/api/v1/users", "{\"username\": \"%s\"}".formatted(name))
                        .status())
                .isEqualTo(409);
        assertThat(admin().postJson("/api/v1/users", "{\"username\": \"bob\", \"password\": \"short\"}")
                        .status())
                .isEqualTo(400);
    }

    @Test
    void discoveryAndJwksWhenBuiltInIssuerThenPublished() {
        Response discovery = anonymous().get("/.well-known/openid-configuration");
        assertThat(discovery.status()).isEqualTo(200);
        assertThat(discovery.json().get("token_endpoint").asString()).endsWith("/oauth2/token");
        Response jwks = anonymous().get("/oauth2/jwks");
        assertThat(jwks.status()).isEqualTo(200);
        assertThat(jwks.json().get("keys").get(0).get("kty").asString()).isEqualTo("RSA");
        assertThat(jwks.body()).doesNotContain("\"d\"");
    }

    @Test
    void rotateSigningKeyWhenOldTokenUnexpiredThenStillAcceptedAndBothKeysPublished() {
        ApiClient before = admin();
        String oldKid =
                header(tokenFor("test-admin", List.of("admins"))).get("kid").asString();

        Response rotated = admin().post("/api/v1/signing-keys/rotate", "application/json", "");

        assertThat(rotated.status()).isEqualTo(200);
        String newKid = rotated.json().get("kid").asString();
        assertThat(newKid).isNotEqualTo(oldKid);
        assertThat(before.get("/api/v1/connections").status()).isEqualTo(200);
        assertThat(header(tokenFor("test-admin", List.of("admins"))).get("kid").asString())
                .isEqualTo(newKid);
        String jwks = anonymous().get("/oauth2/jwks").body();
        assertThat(jwks).contains(oldKid, newKid);
    }

    static JsonNode claims(String jwt) {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    static JsonNode header(String jwt) {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]));
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
