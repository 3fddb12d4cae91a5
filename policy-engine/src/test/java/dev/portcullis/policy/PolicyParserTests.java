package dev.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.portcullis.policy.ConnectionSelector.ByName;
import dev.portcullis.policy.ConnectionSelector.ByTag;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyParserTests {

    @Test
    void parseWhenDesignExampleThenModelMatches() {
        Policy policy = PolicyFixtures.demoGuardrails();

        assertThat(policy.name()).isEqualTo("demo-guardrails");
        assertThat(policy.description()).isNull();
        assertThat(policy.priority()).isEqualTo(100);
        assertThat(policy.connections()).containsExactly(new ByName("demo-db"), new ByName("demo-api"));
        assertThat(policy.defaultAction()).isEqualTo(Action.ALLOW);
        assertThat(policy.onUnparsed()).isEqualTo(Action.BLOCK);
        assertThat(policy.rules())
                .extracting(Rule::name, Rule::action, Rule::reason)
                .containsExactly(
                        tuple("no-ddl", Action.BLOCK, "Schema changes go through migrations"),
                        tuple("no-copy-program", Action.BLOCK, null),
                        tuple("unscoped-writes", Action.REVIEW, null),
                        tuple("api-deletes", Action.REVIEW, null),
                        tuple("agents-stay-out-of-admin", Action.BLOCK, "Agents may not use admin endpoints"));

        Rule noDdl = policy.rules().get(0);
        assertThat(noDdl.when())
                .isEqualTo(new Condition(
                        null,
                        new SqlMatch(
                                List.of(SqlKind.DROP, SqlKind.TRUNCATE, SqlKind.ALTER, SqlKind.GRANT),
                                null,
                                List.of(),
                                List.of(),
                                null),
                        null,
                        null));
        assertThat(noDdl.review()).isNull();

        assertThat(policy.rules().get(1).when().sql().kinds()).containsExactly(SqlKind.COPY_PROGRAM);

        Rule unscopedWrites = policy.rules().get(2);
        assertThat(unscopedWrites.when().sql().kinds()).containsExactly(SqlKind.DELETE, SqlKind.UPDATE);
        assertThat(unscopedWrites.when().sql().withoutWhere()).isTrue();
        assertThat(unscopedWrites.review()).isEqualTo(new ReviewSpec(List.of("approvers"), 1, Duration.ofSeconds(60)));

        Rule apiDeletes = policy.rules().get(3);
        assertThat(apiDeletes.when().sql()).isNull();
        assertThat(apiDeletes.when().http()).isEqualTo(new HttpMatch(List.of("DELETE"), List.of("/customers/**")));
        assertThat(apiDeletes.review()).isEqualTo(new ReviewSpec(List.of("approvers")));

        Rule admin = policy.rules().get(4);
        assertThat(admin.when().subjects()).isEqualTo(new SubjectMatch(List.of(), List.of("ai-agents"), List.of()));
        assertThat(admin.when().http().methods()).isEmpty();
        assertThat(admin.when().http().paths()).containsExactly("/admin/**");

        assertThat(policy.masking())
                .containsExactly(
                        new MaskingRule(List.of("email", "phone", "card_number"), List.of()),
                        new MaskingRule(List.of(), List.of(Detector.EMAIL, Detector.CREDIT_CARD, Detector.PHONE)));
    }

    @Test
    void parseWhenJsonOfDesignExampleThenEqualsYaml() {
        Policy fromJson = PolicyParser.parse(PolicyFixtures.resource("demo-guardrails.json"));

        assertThat(fromJson).isEqualTo(PolicyFixtures.demoGuardrails());
    }

    @Test
    void parseWhenJsonIndentedWithTabsThenAccepted() {
        String json = "{\n\t\"name\": \"tabs\",\n\t\"description\": \"a\\tb\",\n\t\"connections\":\t[\"demo-db\"]\n}";

        Policy policy = PolicyParser.parse(json);

        assertThat(policy.name()).isEqualTo("tabs");
        assertThat(policy.description()).isEqualTo("a\tb");
    }

    @Test
    void parseWhenOnlyRequiredKeysThenDefaultsFailClosed() {
        Policy policy = PolicyParser.parse("name: minimal\nconnections: demo-db\n");

        assertThat(policy.priority()).isEqualTo(Policy.DEFAULT_PRIORITY);
        assertThat(policy.defaultAction()).isEqualTo(Action.BLOCK);
        assertThat(policy.onUnparsed()).isEqualTo(Action.BLOCK);
        assertThat(policy.rules()).isEmpty();
        assertThat(policy.masking()).isEmpty();
        assertThat(policy.connections()).containsExactly(new ByName("demo-db"));
    }

    @Test
    void parseWhenScalarsWhereListsExpectedThenOneElementLists() {
        Policy policy = PolicyParser.parse("""
                name: scalars
                connections: tag:prod
                rules:
                  - name: no-drop
                    when: {sql: {kinds: drop, tables: customers}, subjects: {users: alice}}
                    action: block
                masking:
                  - detectors: email
                """);

        assertThat(policy.connections()).containsExactly(new ByTag("prod"));
        Rule rule = policy.rules().get(0);
        assertThat(rule.when().sql().kinds()).containsExactly(SqlKind.DROP);
        assertThat(rule.when().sql().tables()).containsExactly("customers");
        assertThat(rule.when().subjects().users()).containsExactly("alice");
        assertThat(policy.masking().get(0).detectors()).containsExactly(Detector.EMAIL);
    }

    @Test
    void parseWhenEnumsInAnyCaseThenAccepted() {
        Policy policy = PolicyParser.parse("""
                name: cases
                connections: [demo-db, "tag:prod"]
                default: Review
                onUnparsed: allow
                rules:
                  - name: r1
                    when: {sql: {kinds: [copy_program, Delete]}, http: {methods: [get, Post]}}
                    action: Review
                    review: {approvers: [ops]}
                """);

        assertThat(policy.defaultAction()).isEqualTo(Action.REVIEW);
        assertThat(policy.onUnparsed()).isEqualTo(Action.ALLOW);
        assertThat(policy.connections()).containsExactly(new ByName("demo-db"), new ByTag("prod"));
        Condition when = policy.rules().get(0).when();
        assertThat(when.sql().kinds()).containsExactly(SqlKind.COPY_PROGRAM, SqlKind.DELETE);
        assertThat(when.http().methods()).containsExactly("GET", "POST");
    }

    @Test
    void parseWhenEveryConditionPartGivenThenAllRead() {
        Policy policy = PolicyParser.parse("""
                name: everything
                description: Every part of a condition
                priority: -5
                connections: [tag:k8s]
                rules:
                  - name: r1
                    when:
                      subjects: {users: [alice], groups: [ops], serviceAccounts: [demo-agent]}
                      sql: {kinds: [SELECT], withoutWhere: false, tables: [public.customers], functions: [pg_sleep],
                            pattern: '(?i)\\bpg_read_file\\b'}
                      http: {methods: [GET, HEAD], paths: ["/api/*/items", "/health"]}
                      kubernetes: {verbs: [GET, list], resources: [pods], subresources: [exec], namespaces: [prod]}
                    action: ALLOW
                    reason: Read-only work is fine
                """);

        assertThat(policy.description()).isEqualTo("Every part of a condition");
        assertThat(policy.priority()).isEqualTo(-5);
        Condition when = policy.rules().get(0).when();
        assertThat(when.subjects())
                .isEqualTo(new SubjectMatch(List.of("alice"), List.of("ops"), List.of("demo-agent")));
        assertThat(when.sql())
                .isEqualTo(new SqlMatch(
                        List.of(SqlKind.SELECT),
                        false,
                        List.of("public.customers"),
                        List.of("pg_sleep"),
                        "(?i)\\bpg_read_file\\b"));
        assertThat(when.http()).isEqualTo(new HttpMatch(List.of("GET", "HEAD"), List.of("/api/*/items", "/health")));
        assertThat(when.kubernetes())
                .isEqualTo(
                        new KubernetesMatch(List.of("get", "list"), List.of("pods"), List.of("exec"), List.of("prod")));
    }

    @Test
    void parseWhenWhenIsEmptyThenRuleMatchesEverything() {
        Policy policy = PolicyParser.parse("""
                name: empty-when
                connections: [demo-db]
                rules:
                  - {name: a, when: {}, action: BLOCK}
                  - {name: b, action: BLOCK}
                  - {name: c, when: {sql: {}}, action: BLOCK}
                """);

        assertThat(policy.rules().get(0).when()).isNull();
        assertThat(policy.rules().get(1).when()).isNull();
        assertThat(policy.rules().get(2).when().sql())
                .isEqualTo(new SqlMatch(List.of(), null, List.of(), List.of(), null));
    }

    @ParameterizedTest
    @CsvSource({"60s, PT60S", "5m, PT5M", "2h, PT2H", "1500ms, PT1.5S", "PT1M, PT1M", "pt90s, PT90S", "24h, PT24H"})
    void parseWhenHoldWrittenInAnyFormThenDurationRead(String written, Duration expected) {
        Policy policy = PolicyParser.parse("""
                name: holds
                connections: [demo-db]
                rules:
                  - name: r
                    action: REVIEW
                    review: {approvers: [ops], hold: %s}
                """.formatted(written));

        assertThat(policy.rules().get(0).review().hold()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = "/policies/invalid/cases.csv", numLinesToSkip = 1)
    void parseWhenInvalidDocumentThenProblemNamesLine(String file, Integer line, String message) {
        String document = PolicyFixtures.resource("invalid/" + file);

        assertThatExceptionOfType(PolicyValidationException.class)
                .isThrownBy(() -> PolicyParser.parse(document))
                .satisfies(e -> assertThat(e.problems()).anySatisfy(problem -> {
                    assertThat(problem.line()).isEqualTo(line);
                    assertThat(problem.message()).contains(message);
                }));
    }

    @Test
    void parseWhenUnknownKeyThenProblemNamesLineColumnAndPath() {
        String document = """
                name: typo
                connections: [demo-db]
                rules:
                  - name: no-ddl
                    when:
                      sql:
                        kinds: [DROP, DROPP]
                    action: BLOCK
                  - name: second
                    whne: {}
                    action: ALLOW
                """;

        assertThatExceptionOfType(PolicyValidationException.class)
                .isThrownBy(() -> PolicyParser.parse(document))
                .satisfies(e -> assertThat(e.problems())
                        .extracting(PolicyProblem::path, PolicyProblem::line, PolicyProblem::column)
                        .containsExactly(tuple("rules[0].when.sql.kinds[1]", 7, 23), tuple("rules[1].whne", 10, 5)));
    }

    @Test
    void parseWhenSeveralProblemsThenAllReportedInDocumentOrder() {
        String document = """
                name: Not Valid
                connections: []
                colour: red
                rules:
                  - name: a
                    action: DENY
                  - name: a
                    action: REVIEW
                    review: {approvers: [ops], approvals: 0, hold: 2d}
                masking:
                  - detectors: [SSN]
                """;

        assertThatExceptionOfType(PolicyValidationException.class)
                .isThrownBy(() -> PolicyParser.parse(document))
                .satisfies(e -> {
                    assertThat(e.problems())
                            .extracting(PolicyProblem::line, PolicyProblem::path)
                            .containsExactly(
                                    tuple(1, "name"),
                                    tuple(2, "connections"),
                                    tuple(3, "colour"),
                                    tuple(6, "rules[0].action"),
                                    tuple(7, "rules[1].name"),
                                    tuple(9, "rules[1].review.approvals"),
                                    tuple(9, "rules[1].review.hold"),
                                    tuple(11, "masking[0].detectors[0]"));
                    assertThat(e.getMessage())
                            .isEqualTo("policy is invalid: line 1: 'name' must be 1 to 63 characters of a-z, 0-9, '.',"
                                    + " '_' or '-' starting with a letter or digit, got 'Not Valid' (and 7 more"
                                    + " problems)");
                });
    }

    @Test
    void parseWhenOneProblemThenMessageHasNoCount() {
        assertThatExceptionOfType(PolicyValidationException.class)
                .isThrownBy(() -> PolicyParser.parse("name: p\nconnections: [a]\nwhne: {}\n"))
                .withMessage("policy is invalid: line 3: unknown key 'whne' (expected one of: name, description,"
                        + " priority, connections, default, onUnparsed, rules, masking)");
    }

    @Test
    void parseWhenNullOrBlankThenDocumentIsEmpty() {
        for (String document : new String[] {null, "", "  \n\n", "---\n", "~\n"}) {
            assertThatExceptionOfType(PolicyValidationException.class)
                    .isThrownBy(() -> PolicyParser.parse(document))
                    .satisfies(e -> assertThat(e.problems())
                            .singleElement()
                            .extracting(PolicyProblem::message)
                            .isEqualTo("document is empty"));
        }
    }

    @Test
    void parseWhenDocumentOverSizeLimitThenProblemNotYamlException() {
        String document = "name: big\nconnections: [demo-db]\ndescription: "
                + "x".repeat(PolicyParser.MAX_DOCUMENT_CODE_POINTS) + "\n";

        assertThatExceptionOfType(PolicyValidationException.class)
                .isThrownBy(() -> PolicyParser.parse(document))
                .withMessageContaining("document is too large");
    }

    @Test
    void parseWhenAliasesExplodeThenRefused() {
        StringBuilder document = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 30; i++) {
            document.append("a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n"
                    .formatted(i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1));
        }

        assertThatExceptionOfType(PolicyValidationException.class)
                .isThrownBy(() -> PolicyParser.parse(document.toString()))
                .satisfies(e -> assertThat(e.problems().get(0).message()).startsWith("syntax error:"));
    }

    @Test
    void parseWhenRecursiveAliasThenProblemNotStackOverflow() {
        String document = """
                name: loop
                connections: [demo-db]
                rules: &rules
                  - *rules
                """;

        assertThatExceptionOfType(PolicyValidationException.class)
                .isThrownBy(() -> PolicyParser.parse(document))
                .satisfies(e -> assertThat(e.problems()).isNotEmpty());
    }

    @Test
    void parseWhenSharedAnchorsThenAccepted() {
        Policy policy = PolicyParser.parse("""
                name: anchors
                connections: [demo-db]
                rules:
                  - name: a
                    action: REVIEW
                    review: &review {approvers: [ops], approvals: 2}
                  - name: b
                    action: REVIEW
                    review: *review
                """);

        assertThat(policy.rules().get(1).review())
                .isEqualTo(policy.rules().get(0).review());
    }

    @Test
    void parseWhenGlobalTagThenNoClassIsInstantiated() {
        String document = """
                name: tags
                connections: [demo-db]
                description: !!javax.script.ScriptEngineManager
                  [!!java.net.URLClassLoader [[!!java.net.URL ["http://x"]]]]
                """;

        assertThatExceptionOfType(PolicyValidationException.class)
                .isThrownBy(() -> PolicyParser.parse(document))
                .satisfies(e -> assertThat(e.problems()).singleElement().satisfies(problem -> {
                    assertThat(problem.message()).startsWith("syntax error: Global tag is not allowed");
                    assertThat(problem.line()).isEqualTo(3);
                }));
    }

    @Test
    void parseWhenMergeKeyThenUnknownKey() {
        String document = """
                name: merge
                connections: [demo-db]
                rules:
                  - <<: {action: BLOCK}
                    name: a
                """;

        assertThatExceptionOfType(PolicyValidationException.class)
                .isThrownBy(() -> PolicyParser.parse(document))
                .withMessageContaining("unknown key '<<'");
    }
}
