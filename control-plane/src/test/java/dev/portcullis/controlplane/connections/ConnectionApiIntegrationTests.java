package dev.portcullis.controlplane.connections;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.controlplane.ApiClient.Response;
import dev.portcullis.controlplane.ApiIntegrationTest;
import dev.portcullis.policy.connection.Credential;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

@ExtendWith(OutputCaptureExtension.class)
class ConnectionApiIntegrationTests extends ApiIntegrationTest {

    @Autowired
    ConnectionService connections;

    @Test
    void crudWhenRoundTripThenEachStepVisible() {
        String name = unique("orders-api");
        Response created = admin().postJson("/api/v1/connections", """
                {"name": "%s", "type": "HTTP", "target": "http://127.0.0.1:9090/",
                 "credential": {"kind": "BEARER", "token": "tok-create-%s"},
                 "allowedGroups": ["ai-agents"], "tags": ["demo", "prod"], "description": "Orders"}
                """.formatted(name, name));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/connections/" + name);
        assertThat(created.json().get("credentialKind").asString()).isEqualTo("BEARER");
        assertThat(created.json().get("createdBy").asString()).isEqualTo("test-admin");

        Response read = admin().get("/api/v1/connections/" + name);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("type").asString()).isEqualTo("HTTP");
        assertThat(read.json().get("tags").toString()).isEqualTo("[\"demo\",\"prod\"]");

        Response updated = admin().put("/api/v1/connections/" + name, "application/json", """
                {"type": "HTTP", "target": "https://orders.internal", "allowedGroups": ["ops"], "tags": []}
                """);
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("target").asString()).isEqualTo("https://orders.internal");
        // Leaving the credential out of an update keeps the stored one.
        assertThat(updated.json().get("credentialKind").asString()).isEqualTo("BEARER");
        assertThat(connections.credentialOf(name)).isEqualTo(new Credential.Bearer("tok-create-" + name));

        List<String> names = admin().get("/api/v1/connections")
                .json()
                .valueStream()
                .map(n -> n.get("name").asString())
                .toList();
        assertThat(names).contains(name);

        assertThat(admin().delete("/api/v1/connections/" + name).status()).isEqualTo(204);
        assertThat(admin().get("/api/v1/connections/" + name).status()).isEqualTo(404);
    }

    @Test
    void createWhenCredentialGivenThenStoredAsCiphertextAndNeverReturned(CapturedOutput output) throws Exception {
        String name = unique("billing-db");
        String secret = "s3cr3t-" + UUID.randomUUID();
        Response created = admin().postJson("/api/v1/connections", """
                {"name": "%s", "type": "POSTGRES", "target": "postgresql://db.internal:5432/billing",
                 "credential": {"kind": "PASSWORD", "username": "billing", "password": "%s"}}
                """.formatted(name, secret));
        assertThat(created.status()).isEqualTo(201);

        // In the database: ciphertext only, and the secret's bytes appear nowhere in the row.
        try (Connection c = DATABASE.connect();
                PreparedStatement ps = c.prepareStatement(
                        "select credential_ciphertext, credential_key_id, c::text as whole_row from connections c"
                                + " where name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                byte[] stored = rs.getBytes("credential_ciphertext");
                assertThat(stored).isNotEmpty();
                assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(secret);
                assertThat(rs.getString("whole_row")).doesNotContain(secret);
                assertThat(rs.getString("credential_key_id")).hasSize(16);
            }
        }
        // Yet it decrypts to exactly what was sent.
        assertThat(connections.credentialOf(name)).isEqualTo(new Credential.Password("billing", secret));

        // No API response carries it: the resource, the list, the audit log, and the update echo.
        assertThat(created.body()).doesNotContain(secret);
        assertThat(admin().get("/api/v1/connections/" + name).body()).doesNotContain(secret);
        assertThat(admin().get("/api/v1/connections").body()).doesNotContain(secret);
        String secret2 = "rotated-" + UUID.randomUUID();
        Response rotated = admin().put("/api/v1/connections/" + name, "application/json", """
                {"type": "POSTGRES", "target": "postgresql://db.internal:5432/billing",
                 "credential": {"kind": "PASSWORD", "username": "billing", "password": "%s"}}
                """.formatted(secret2));
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.body()).doesNotContain(secret2);
        String auditLog = admin().get("/api/v1/audit-log?resourceName=" + name).body();
        assertThat(auditLog).contains("connection.create", "connection.update").doesNotContain(secret, secret2);
        assertThat(connections.credentialOf(name)).isEqualTo(new Credential.Password("billing", secret2));

        // And no log line does either.
        assertThat(output.getAll()).doesNotContain(secret).doesNotContain(secret2);
    }

    @Test
    void createWhenInvalidThenProblemNamesEachField(CapturedOutput output) {
        String secret = "leak-me-" + UUID.randomUUID();
        Response response = admin().postJson("/api/v1/connections", """
                {"name": "Bad Name", "type": "FTP", "target": "",
                 "credential": {"kind": "BEARER", "token": "%s", "extra": "x"}}
                """.formatted(secret));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        List<String> paths = response.json()
                .get("problems")
                .valueStream()
                .map(p -> p.get("path").asString())
                .toList();
        assertThat(paths).contains("name", "type", "target", "credential");
        assertThat(response.body()).doesNotContain(secret);
        assertThat(output.getAll()).doesNotContain(secret);
    }

    @Test
    void createWhenCredentialKindDoesNotFitTypeThenBadRequest() {
        Response response = admin().postJson("/api/v1/connections", """
                {"name": "%s", "type": "POSTGRES", "target": "postgresql://db:5432/x",
                 "credential": {"kind": "BEARER", "token": "abc"}}
                """.formatted(unique("mismatch")));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("problems").get(0).get("path").asString())
                .isEqualTo("credential.kind");
    }

    @Test
    void createWhenMalformedJsonThenBadRequestWithLineAndNoEcho() {
        Response response =
                admin().postJson("/api/v1/connections", "{\"name\": \"x\",\n \"credential\": {\"token\": \"sekrit\"");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asString()).contains("not valid JSON");
        assertThat(response.body()).doesNotContain("sekrit");
    }

    @Test
    void createWhenNameTakenThenConflict() {
        String name = unique("dup");
        String body = """
                {"name": "%s", "type": "HTTP", "target": "http://127.0.0.1:1"}""".formatted(name);
        assertThat(admin().postJson("/api/v1/connections", body).status()).isEqualTo(201);

        Response again = admin().postJson("/api/v1/connections", body);

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("detail").asString()).contains(name);
    }

    @Test
    void unknownNameThen404OnEveryVerb() {
        String body = """
                {"type": "HTTP", "target": "http://127.0.0.1:1"}""";
        assertThat(admin().get("/api/v1/connections/nope").status()).isEqualTo(404);
        assertThat(admin().put("/api/v1/connections/nope", "application/json", body)
                        .status())
                .isEqualTo(404);
        assertThat(admin().delete("/api/v1/connections/nope").status()).isEqualTo(404);
        assertThat(admin().get("/api/v1/connections/nope").json().get("detail").asString())
                .isEqualTo("connection 'nope' does not exist");
    }

    @Test
    void requestWhenUnauthenticatedOrGarbageTokenThen401WithBearerChallenge() {
        Response anonymous = anonymous().get("/api/v1/connections");
        Response garbage =
                dev.portcullis.controlplane.ApiClient.bearer(port, "not-a-jwt").get("/api/v1/connections");

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
        assertThat(anonymous.json().get("status").asInt()).isEqualTo(401);
        assertThat(garbage.status()).isEqualTo(401);
        assertThat(garbage.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(h -> assertThat(h).contains("invalid_token"));
        assertThat(anonymous().postJson("/api/v1/connections", "{}").status()).isEqualTo(401);
    }

    @Test
    void requestWhenNotAdminThen403() {
        var approver = as("test-approver", List.of("approvers"));

        assertThat(approver.get("/api/v1/connections").status()).isEqualTo(403);
        assertThat(approver.postJson("/api/v1/connections", "{}").status()).isEqualTo(403);
    }

    @Test
    void openApiWhenFetchedThenDescribesTheApi() {
        Response response = anonymous().get("/v3/api-docs");

        assertThat(response.status()).isEqualTo(200);
        JsonNode paths = response.json().get("paths");
        assertThat(paths.has("/api/v1/connections")).isTrue();
        assertThat(paths.has("/api/v1/policies/{name}")).isTrue();
        assertThat(paths.has("/api/v1/audit-log")).isTrue();
        assertThat(anonymous().get("/actuator/health").body()).contains("\"status\":\"UP\"");
        assertThat(anonymous().get("/actuator/prometheus").body()).contains("component=\"control-plane\"");
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
