package dev.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyDocumentsTests {

    @Test
    void toMapWhenDesignExampleThenKeysInDocumentOrderAndDefaultsSpeltOut() {
        Map<String, Object> map = PolicyDocuments.toMap(PolicyFixtures.demoGuardrails());

        assertThat(map.keySet())
                .containsExactly("name", "priority", "connections", "default", "onUnparsed", "rules", "masking");
        assertThat(map.get("connections")).isEqualTo(List.of("demo-db", "demo-api"));
        assertThat(map.get("default")).isEqualTo("ALLOW");
        List<?> rules = (List<?>) map.get("rules");
        assertThat(rules.get(0))
                .isEqualTo(Map.of(
                        "name", "no-ddl",
                        "when", Map.of("sql", Map.of("kinds", List.of("DROP", "TRUNCATE", "ALTER", "GRANT"))),
                        "action", "BLOCK",
                        "reason", "Schema changes go through migrations"));
        assertThat(List.copyOf(((Map<?, ?>) rules.get(0)).keySet()))
                .isEqualTo(List.of("name", "when", "action", "reason"));
        assertThat(((Map<?, ?>) rules.get(3)).get("review"))
                .isEqualTo(Map.of("approvers", List.of("approvers"), "approvals", 1, "hold", "60s"));
        assertThat(map.get("masking"))
                .isEqualTo(List.of(
                        Map.of("fields", List.of("email", "phone", "card_number")),
                        Map.of("detectors", List.of("EMAIL", "CREDIT_CARD", "PHONE"))));
    }

    @Test
    void toMapWhenNoRulesNoMaskingNoDescriptionThenOmitted() {
        Policy policy =
                new Policy("closed", null, 7, List.of(ConnectionSelector.parse("tag:prod")), null, null, null, null);

        assertThat(PolicyDocuments.toMap(policy))
                .containsExactly(
                        Map.entry("name", "closed"),
                        Map.entry("priority", 7),
                        Map.entry("connections", List.of("tag:prod")),
                        Map.entry("default", "BLOCK"),
                        Map.entry("onUnparsed", "BLOCK"));
    }

    @Test
    void toYamlWhenDesignExampleThenBlockStyle() {
        String yaml = PolicyDocuments.toYaml(PolicyFixtures.demoGuardrails());

        assertThat(yaml).startsWith("""
                        name: demo-guardrails
                        priority: 100
                        connections:
                          - demo-db
                          - demo-api
                        default: ALLOW
                        onUnparsed: BLOCK
                        rules:
                          - name: no-ddl
                            when:
                              sql:
                                kinds:
                                  - DROP
                        """);
        assertThat(yaml).doesNotContain("!!").doesNotContain("{");
    }

    @ParameterizedTest
    @MethodSource("policies")
    void toYamlWhenParsedAgainThenEqualPolicy(Policy policy) {
        String yaml = PolicyDocuments.toYaml(policy);

        assertThat(PolicyParser.parse(yaml)).isEqualTo(policy);
        // canonical: rendering the re-read policy gives the same text
        assertThat(PolicyDocuments.toYaml(PolicyParser.parse(yaml))).isEqualTo(yaml);
    }

    static Stream<Policy> policies() {
        Policy minimal = new Policy(
                "minimal",
                null,
                100,
                List.of(new ConnectionSelector.ByName("demo-db")),
                null,
                null,
                List.of(),
                List.of());
        Policy everything = PolicyParser.parse("""
                name: everything.v2
                description: |
                  Two lines
                  of description: with a colon, and "quotes"
                priority: 0
                connections: [tag:prod, "yes", "123"]
                default: REVIEW
                onUnparsed: ALLOW
                rules:
                  - name: all-parts
                    when:
                      subjects: {users: [alice], groups: [ops, "on"], serviceAccounts: [demo-agent]}
                      sql:
                        kinds: [SELECT, OTHER]
                        withoutWhere: false
                        tables: [public.customers]
                        functions: [pg_sleep]
                        pattern: '(?i)^\\s*select\\s+\\*\\s+from\\s+"weird # table"'
                      http: {methods: [GET], paths: ["/api/*/items", "/files/**/*.csv"]}
                      kubernetes:
                        verbs: [get, deletecollection]
                        resources: [pods]
                        subresources: [exec]
                        namespaces: [kube-system]
                    action: REVIEW
                    reason: "Needs: a second pair of eyes"
                    review: {approvers: [approvers, dba], approvals: 10, hold: 1500ms}
                  - name: catch-all
                    action: BLOCK
                  - name: sql-anything
                    when: {sql: {}}
                    action: ALLOW
                masking:
                  - fields: ["*_token", email]
                    detectors: [IBAN, US_SSN, IP_ADDRESS, JWT, API_KEY, PRIVATE_KEY]
                """);
        Policy holds = new Policy(
                "holds",
                "",
                Integer.MIN_VALUE,
                List.of(new ConnectionSelector.ByName("a"), new ConnectionSelector.ByTag("b")),
                Action.ALLOW,
                Action.REVIEW,
                List.of(
                        new Rule(
                                "h1", null, Action.REVIEW, null, new ReviewSpec(List.of("x"), 1, Duration.ofHours(24))),
                        new Rule(
                                "h2",
                                null,
                                Action.REVIEW,
                                null,
                                new ReviewSpec(List.of("x"), 2, Duration.ofMinutes(90))),
                        new Rule(
                                "h3",
                                null,
                                Action.REVIEW,
                                null,
                                new ReviewSpec(List.of("x"), 3, Duration.ofSeconds(1))),
                        new Rule("h4", Condition.ANY, Action.ALLOW, "  ", null)),
                List.of(new MaskingRule(List.of("ssn"), null)));
        return Stream.of(PolicyFixtures.demoGuardrails(), minimal, everything, holds);
    }
}
