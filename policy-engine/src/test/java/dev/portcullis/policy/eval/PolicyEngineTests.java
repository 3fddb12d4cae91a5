package dev.portcullis.policy.eval;

import static dev.portcullis.policy.eval.EvalFixtures.demoAgent;
import static dev.portcullis.policy.eval.EvalFixtures.demoOps;
import static dev.portcullis.policy.eval.EvalFixtures.http;
import static dev.portcullis.policy.eval.EvalFixtures.words;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.portcullis.policy.Action;
import dev.portcullis.policy.Condition;
import dev.portcullis.policy.ConnectionSelector;
import dev.portcullis.policy.Detector;
import dev.portcullis.policy.HttpMatch;
import dev.portcullis.policy.KubernetesMatch;
import dev.portcullis.policy.MaskingRule;
import dev.portcullis.policy.Policy;
import dev.portcullis.policy.Rule;
import dev.portcullis.policy.SqlKind;
import dev.portcullis.policy.SqlMatch;
import dev.portcullis.policy.SubjectMatch;
import dev.portcullis.policy.connection.ConnectionType;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

class PolicyEngineTests {

    private static final PolicyEngine ENGINE = EvalFixtures.httpEngine();

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvFileSource(resources = "/eval/http-cases.csv", numLinesToSkip = 1)
    void evaluateWhenCorpusCaseThenExpectedVerdict(
            String description,
            String name,
            String kind,
            String groups,
            String connection,
            String tags,
            String method,
            String path,
            Action action,
            String policy,
            String rule,
            String detail,
            int maskingRules) {
        Subject subject = new Subject(name, words(groups), kind.equals("sa"));
        RequestContext request =
                new RequestContext(subject, connection, words(tags), ConnectionType.HTTP, new HttpCall(method, path));

        Verdict verdict = ENGINE.evaluate(request);

        assertThat(verdict.action()).as("action").isEqualTo(action);
        assertThat(verdict.policy()).as("policy").isEqualTo(policy);
        assertThat(verdict.rule()).as("rule").isEqualTo(rule);
        if (verdict instanceof Verdict.Block block) {
            assertThat(block.reason()).as("reason").isEqualTo(detail);
            assertThat(maskingRules).as("corpus: a block masks nothing").isZero();
        } else if (verdict instanceof Verdict.Review review) {
            String[] expected = detail.split(";");
            assertThat(review.approverGroups()).as("approvers").containsExactly(expected[0].split(" "));
            assertThat(review.approvals()).as("approvals").isEqualTo(Integer.parseInt(expected[1]));
            assertThat(review.hold()).as("hold").isEqualTo(Duration.parse(expected[2]));
            assertThat(review.masking()).as("masking").hasSize(maskingRules);
        } else if (verdict instanceof Verdict.Allow allow) {
            assertThat(detail).as("corpus: an allow has no detail").isNull();
            assertThat(allow.masking()).as("masking").hasSize(maskingRules);
        }
    }

    @Test
    void evaluateWhenSeveralPoliciesApplyThenMaskingAddsUpInPolicyOrder() {
        Verdict verdict = ENGINE.evaluate(http(demoOps(), "demo-api", "GET", "/customers", "pci", "prod", "demo"));

        assertThat(verdict).isInstanceOf(Verdict.Allow.class);
        assertThat(((Verdict.Allow) verdict).masking())
                .containsExactly(
                        // demo-early (10), demo-guardrails (100), prod-lockdown (100, after by name), pci-strict (200)
                        new MaskingRule(List.of("notes"), List.of()),
                        new MaskingRule(List.of("email", "phone", "card_number"), List.of()),
                        new MaskingRule(List.of(), List.of(Detector.EMAIL, Detector.CREDIT_CARD, Detector.PHONE)),
                        new MaskingRule(List.of(), List.of(Detector.IBAN)),
                        new MaskingRule(List.of("*_token"), List.of()));
    }

    @Test
    void evaluateWhenDeleteCustomerThenReviewCarriesTheDemoMasking() {
        Verdict verdict = ENGINE.evaluate(http(demoAgent(), "demo-api", "DELETE", "/customers/7"));

        assertThat(verdict)
                .isEqualTo(new Verdict.Review(
                        "demo-guardrails",
                        "api-deletes",
                        List.of("approvers"),
                        1,
                        Duration.ofSeconds(60),
                        EvalFixtures.policy(EvalFixtures.DEMO_GUARDRAILS).masking()));
    }

    @Test
    void evaluateWhenAgentReadsAdminStatsThenBlockWithRuleReason() {
        Verdict verdict = ENGINE.evaluate(http(demoAgent(), "demo-api", "GET", "/admin/stats"));

        assertThat(verdict)
                .isEqualTo(new Verdict.Block(
                        "demo-guardrails", "agents-stay-out-of-admin", "Agents may not use admin endpoints"));
    }

    @Test
    void evaluateWhenNoPoliciesThenEverythingBlocked() {
        PolicyEngine empty = PolicyEngine.of(List.of());

        assertThat(empty.evaluate(http(demoOps(), "demo-api", "GET", "/")))
                .isEqualTo(new Verdict.Block(null, null, "No policy applies to connection 'demo-api'"));
    }

    @Test
    void evaluateWhenPriorityOrdersPoliciesThenLowerPriorityRuleWinsWhateverTheInputOrder() {
        Policy late = policy("late", 200, Action.ALLOW, rule("allow-all", Condition.ANY, Action.ALLOW));
        Policy early = policy("early", 5, Action.ALLOW, rule("block-all", Condition.ANY, Action.BLOCK));

        for (List<Policy> order : List.of(List.of(late, early), List.of(early, late))) {
            PolicyEngine engine = PolicyEngine.of(order);

            assertThat(engine.policies()).extracting(Policy::name).containsExactly("early", "late");
            assertThat(engine.evaluate(http(demoOps(), "target", "GET", "/")))
                    .isEqualTo(new Verdict.Block("early", "block-all", "Blocked by rule block-all of policy early"));
        }
    }

    @Test
    void evaluateWhenEqualPriorityThenOrderedByName() {
        Policy b = policy("b-policy", 1, Action.ALLOW, rule("b-rule", Condition.ANY, Action.ALLOW));
        Policy a = policy("a-policy", 1, Action.ALLOW, rule("a-rule", Condition.ANY, Action.ALLOW));

        Verdict verdict = PolicyEngine.of(List.of(b, a)).evaluate(http(demoOps(), "target", "GET", "/"));

        assertThat(verdict).isEqualTo(new Verdict.Allow("a-policy", "a-rule", List.of()));
    }

    @Test
    void evaluateWhenAllDefaultsAllowThenFirstPolicyInOrderIsNamed() {
        Policy second = policy("second", 2, Action.ALLOW);
        Policy first = policy("first", 1, Action.ALLOW);

        Verdict verdict = PolicyEngine.of(List.of(second, first)).evaluate(http(demoOps(), "target", "GET", "/"));

        assertThat(verdict).isEqualTo(new Verdict.Allow("first", null, List.of()));
    }

    @Test
    void evaluateWhenDefaultsTieOnBlockThenFirstPolicyInOrderIsNamed() {
        Verdict verdict = PolicyEngine.of(List.of(policy("second", 2, Action.BLOCK), policy("first", 1, Action.BLOCK)))
                .evaluate(http(demoOps(), "target", "GET", "/"));

        assertThat(verdict).isEqualTo(new Verdict.Block("first", null, "Blocked by the default of policy first"));
    }

    @Test
    void evaluateWhenRuleHasNoConditionThenItMatchesEveryRequest() {
        Policy policy = policy("open", 1, Action.BLOCK, new Rule("everything", null, Action.ALLOW, null, null));

        assertThat(PolicyEngine.of(List.of(policy)).evaluate(http(demoAgent(), "target", "PATCH", "/x/y")))
                .isEqualTo(new Verdict.Allow("open", "everything", List.of()));
    }

    @Test
    void evaluateWhenRuleHasSqlPartThenHttpCallNeverMatches() {
        Condition sqlOnly =
                new Condition(null, new SqlMatch(List.of(SqlKind.SELECT), null, null, null, null), null, null);
        Condition sqlAndHttp = new Condition(
                null, new SqlMatch(null, null, null, null, null), new HttpMatch(List.of(), List.of()), null);
        Policy policy = policy(
                "sql",
                1,
                Action.ALLOW,
                rule("sql-only", sqlOnly, Action.BLOCK),
                rule("sql-and-http", sqlAndHttp, Action.BLOCK));

        assertThat(PolicyEngine.of(List.of(policy)).evaluate(http(demoOps(), "target", "GET", "/")))
                .isEqualTo(new Verdict.Allow("sql", null, List.of()));
    }

    @Test
    void evaluateWhenRuleHasKubernetesPartThenPlainHttpCallNeverMatches() {
        Condition anyKubernetes = new Condition(null, null, null, new KubernetesMatch(null, null, null, null));
        Policy policy = policy("k8s", 1, Action.ALLOW, rule("any-kubernetes", anyKubernetes, Action.BLOCK));

        assertThat(PolicyEngine.of(List.of(policy))
                        .evaluate(http(demoOps(), "target", "GET", "/api/v1/namespaces/prod/secrets/db")))
                .isEqualTo(new Verdict.Allow("k8s", null, List.of()));
    }

    @Test
    void evaluateWhenSubjectsListsAreAllEmptyThenEveryoneMatches() {
        Condition anyone = new Condition(new SubjectMatch(null, null, null), null, null, null);
        Policy policy = policy("anyone", 1, Action.ALLOW, rule("anyone", anyone, Action.BLOCK));

        assertThat(PolicyEngine.of(List.of(policy)).evaluate(http(Subject.user("x"), "target", "GET", "/")))
                .isInstanceOf(Verdict.Block.class);
    }

    @Test
    void evaluateWhenSubjectListsSeveralIdentitiesThenAnyOfThemMatches() {
        Condition who = new Condition(
                new SubjectMatch(List.of("alice"), List.of("sre"), List.of("deploy-bot")), null, null, null);
        PolicyEngine engine = PolicyEngine.of(List.of(policy("who", 1, Action.BLOCK, rule("who", who, Action.ALLOW))));

        assertThat(engine.evaluate(http(Subject.user("alice"), "target", "GET", "/"))
                        .action())
                .isEqualTo(Action.ALLOW);
        assertThat(engine.evaluate(http(Subject.user("bob", "sre"), "target", "GET", "/"))
                        .action())
                .isEqualTo(Action.ALLOW);
        assertThat(engine.evaluate(http(Subject.serviceAccount("deploy-bot"), "target", "GET", "/"))
                        .action())
                .isEqualTo(Action.ALLOW);
        assertThat(engine.evaluate(http(Subject.serviceAccount("alice"), "target", "GET", "/"))
                        .action())
                .isEqualTo(Action.BLOCK);
        assertThat(engine.evaluate(http(Subject.user("deploy-bot"), "target", "GET", "/"))
                        .action())
                .isEqualTo(Action.BLOCK);
        assertThat(engine.evaluate(http(Subject.user("carol", "dev"), "target", "GET", "/"))
                        .action())
                .isEqualTo(Action.BLOCK);
    }

    @Test
    void ofWhenTwoPoliciesShareANameThenRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() ->
                        PolicyEngine.of(List.of(policy("twin", 1, Action.ALLOW), policy("twin", 2, Action.BLOCK))))
                .withMessage("duplicate policy name 'twin'");
    }

    @Test
    void ofWhenKubernetesResourceEntryMalformedThenRefused() {
        Condition bad = new Condition(null, null, null, new KubernetesMatch(null, List.of("pods/"), null, null));

        assertThatIllegalArgumentException()
                .isThrownBy(() ->
                        PolicyEngine.of(List.of(policy("bad", 1, Action.ALLOW, rule("bad", bad, Action.BLOCK)))))
                .withMessageContaining("'pods/' must be RESOURCE or RESOURCE/SUBRESOURCE");
    }

    @Test
    void ofWhenNullThenRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> PolicyEngine.of(null));
        assertThatIllegalArgumentException().isThrownBy(() -> PolicyEngine.of(java.util.Arrays.asList((Policy) null)));
    }

    @Test
    void evaluateWhenSameEngineSharedThenVerdictsRepeat() {
        RequestContext request = http(demoAgent(), "demo-api", "GET", "/customers");

        assertThat(ENGINE.evaluate(request)).isEqualTo(ENGINE.evaluate(request));
    }

    @Test
    void mayUseWhenSubjectSharesAGroupThenTrue() {
        assertThat(PolicyEngine.mayUse(demoAgent(), List.of("ai-agents"))).isTrue();
        assertThat(PolicyEngine.mayUse(demoOps(), List.of("ai-agents", "auditors")))
                .isTrue();
    }

    @Test
    void mayUseWhenSubjectSharesNoGroupThenFalse() {
        assertThat(PolicyEngine.mayUse(demoOps(), List.of("ai-agents"))).isFalse();
        assertThat(PolicyEngine.mayUse(Subject.user("nobody"), List.of("ai-agents")))
                .isFalse();
    }

    @Test
    void mayUseWhenNoAllowedGroupsThenNobody() {
        assertThat(PolicyEngine.mayUse(demoOps(), List.of())).isFalse();
        assertThat(PolicyEngine.mayUse(demoOps(), null)).isFalse();
        assertThat(PolicyEngine.mayUse(null, List.of("admins"))).isFalse();
    }

    @Test
    void mayUseWhenNameEqualsAGroupThenNameDoesNotCount() {
        assertThat(PolicyEngine.mayUse(Subject.user("ai-agents"), Set.of("ai-agents")))
                .isFalse();
    }

    static Policy policy(String name, int priority, Action defaultAction, Rule... rules) {
        return new Policy(
                name,
                null,
                priority,
                List.of(ConnectionSelector.parse("target")),
                defaultAction,
                null,
                List.of(rules),
                List.of());
    }

    static Rule rule(String name, Condition when, Action action) {
        return new Rule(name, when, action, null, null);
    }
}
