package dev.portcullis.controlplane.policies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.controlplane.ApiClient.Response;
import dev.portcullis.controlplane.ApiIntegrationTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class PolicyApiIntegrationTests extends ApiIntegrationTest {

    @Test
    void createWhenYamlThenParsedAndStoredAsVersionOne() {
        String name = unique("guard");
        Response created = admin().post("/api/v1/policies", "application/yaml", """
                name: %s
                priority: 10
                connections: [orders-api, "tag:prod"]
                default: ALLOW
                rules:
                  - name: no-ddl
                    when: {sql: {kinds: [DROP, TRUNCATE]}}
                    action: BLOCK
                    reason: Schema changes go through migrations
                masking:
                  - detectors: [EMAIL]
                """.formatted(name));

        assertThat(created.status()).isEqualTo(201);
        JsonNode body = created.json();
        assertThat(body.get("version").asInt()).isEqualTo(1);
        assertThat(body.get("priority").asInt()).isEqualTo(10);
        assertThat(body.get("document").get("rules").get(0).get("action").asString())
                .isEqualTo("BLOCK");
        assertThat(body.get("document").get("connections").toString()).isEqualTo("[\"orders-api\",\"tag:prod\"]");
        assertThat(admin().get("/api/v1/policies/" + name).json().get("document"))
                .isEqualTo(body.get("document"));
    }

    @Test
    void createWhenJsonThenSameModelAsYaml() {
        String name = unique("json");
        Response created = admin().postJson("/api/v1/policies", """
                {"name": "%s", "connections": ["a"], "default": "BLOCK",
                 "rules": [{"name": "reads", "when": {"sql": {"kinds": ["SELECT"]}}, "action": "ALLOW"}]}
                """.formatted(name));

        assertThat(created.status()).isEqualTo(201);
        Response yaml = admin().get("/api/v1/policies/" + name, "application/yaml");
        assertThat(yaml.status()).isEqualTo(200);
        assertThat(yaml.body()).contains("name: " + name).contains("- SELECT");
        // The YAML rendering parses back to the same document.
        String copy = yaml.body().replace(name, name + "-copy");
        Response fromYaml = admin().post("/api/v1/policies", "application/yaml", copy);
        assertThat(fromYaml.status()).isEqualTo(201);
        assertThat(fromYaml.json().get("document").get("rules"))
                .isEqualTo(created.json().get("document").get("rules"));
    }

    @Test
    void createWhenInvalidThenBadRequestNamingTheLine() {
        Response response = admin().post("/api/v1/policies", "application/yaml", """
                name: broken
                connections: [a]
                rules:
                  - name: r1
                    whne: {sql: {kinds: [DROP]}}
                    action: BLOCK
                """);

        assertThat(response.status()).isEqualTo(400);
        JsonNode problem = response.json().get("problems").get(0);
        assertThat(problem.get("line").asInt()).isEqualTo(5);
        assertThat(problem.get("message").asString()).contains("whne");
        assertThat(response.json().get("detail").asString()).contains("line 5");
        assertThat(admin().get("/api/v1/policies/broken").status()).isEqualTo(404);
    }

    @Test
    void createWhenYamlSyntaxBrokenThenBadRequestWithLine() {
        Response response =
                admin().post("/api/v1/policies", "application/yaml", "name: x\nconnections: [a\nrules: []\n");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("problems").get(0).get("line").isNumber())
                .isTrue();
    }

    @Test
    void createWhenUnknownSqlKindThenBadRequestNamingIt() {
        Response response = admin().postJson("/api/v1/policies", """
                {"name": "bad-kind", "connections": ["a"],
                 "rules": [{"name": "r", "when": {"sql": {"kinds": ["DROPP"]}}, "action": "BLOCK"}]}
                """);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("DROPP");
    }

    @Test
    void updateWhenChangedThenNewVersionAndOldKept() {
        String name = unique("versioned");
        admin().post(
                        "/api/v1/policies",
                        "application/yaml",
                        "name: %s\nconnections: [a]\ndefault: ALLOW\n".formatted(name));

        Response updated = admin().put(
                        "/api/v1/policies/" + name,
                        "application/yaml",
                        "name: %s\nconnections: [a]\ndefault: BLOCK\n".formatted(name));

        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("version").asInt()).isEqualTo(2);
        List<JsonNode> versions = admin().get("/api/v1/policies/" + name + "/versions")
                .json()
                .valueStream()
                .toList();
        assertThat(versions).hasSize(2);
        assertThat(versions.get(0).get("document").get("default").asString()).isEqualTo("BLOCK");
        assertThat(versions.get(1).get("document").get("default").asString()).isEqualTo("ALLOW");
        assertThat(versions.get(1).get("source").asString()).contains("default: ALLOW");
        assertThat(versions.get(1).get("change").asString()).isEqualTo("CREATE");

        String audit = admin().get("/api/v1/audit-log?resourceType=policy&resourceName=" + name)
                .body();
        assertThat(audit).contains("policy.update", "policy.create");
    }

    @Test
    void updateWhenNameDiffersThenBadRequest() {
        String name = unique("rename");
        admin().post("/api/v1/policies", "application/yaml", "name: %s\nconnections: [a]\n".formatted(name));

        Response response =
                admin().put("/api/v1/policies/" + name, "application/yaml", "name: other\nconnections: [a]\n");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asString()).contains("renamed");
    }

    @Test
    void deleteWhenLiveThenGoneButRecreatable() {
        String name = unique("temp");
        admin().post("/api/v1/policies", "application/yaml", "name: %s\nconnections: [a]\n".formatted(name));

        assertThat(admin().delete("/api/v1/policies/" + name).status()).isEqualTo(204);
        assertThat(admin().get("/api/v1/policies/" + name).status()).isEqualTo(404);
        assertThat(admin().delete("/api/v1/policies/" + name).status()).isEqualTo(404);
        assertThat(admin().post("/api/v1/policies", "application/yaml", "name: %s\nconnections: [b]\n".formatted(name))
                        .json()
                        .get("version")
                        .asInt())
                .isEqualTo(1);
        String audit = admin().get("/api/v1/audit-log?resourceName=" + name).body();
        assertThat(audit).contains("policy.delete");
    }

    @Test
    void createWhenNameTakenThenConflict() {
        String name = unique("taken");
        admin().post("/api/v1/policies", "application/yaml", "name: %s\nconnections: [a]\n".formatted(name));

        assertThat(admin().post("/api/v1/policies", "application/yaml", "name: %s\nconnections: [a]\n".formatted(name))
                        .status())
                .isEqualTo(409);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
