package dev.portcullis.policy.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.policy.Action;
import dev.portcullis.policy.connection.ConnectionType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

class PolicyEngineKubernetesTests {

    private static final PolicyEngine ENGINE = EvalFixtures.kubernetesEngine();

    @ParameterizedTest(name = "{0} {1} by {3}")
    @CsvFileSource(resources = "/eval/kubernetes-cases.csv", numLinesToSkip = 1)
    void evaluateWhenKubernetesCallThenVerdict(
            String method,
            String path,
            String watch,
            String group,
            Action action,
            String policy,
            String rule,
            String reason) {
        Map<String, List<String>> query = watch == null ? Map.of() : Map.of("watch", List.of(watch));
        KubernetesCall call = KubernetesPaths.parse(method, path, query).orElse(null);

        Verdict verdict =
                ENGINE.evaluate(kubernetes(Subject.serviceAccount("someone", group), new HttpCall(method, path, call)));

        assertThat(verdict.action()).as("action").isEqualTo(action);
        assertThat(verdict.policy()).as("policy").isEqualTo(policy);
        assertThat(verdict.rule()).as("rule").isEqualTo(rule);
        if (verdict instanceof Verdict.Block block) {
            assertThat(block.reason()).as("reason").isEqualTo(reason);
        }
    }

    @Test
    void evaluateWhenExecInProdThenBlockWithReason() {
        Verdict verdict = ENGINE.evaluate(kubernetes(
                Subject.serviceAccount("demo-agent", "ai-agents"),
                new HttpCall(
                        "POST",
                        "/api/v1/namespaces/prod/pods/web-1/exec",
                        new KubernetesCall("create", "", "v1", "prod", "pods", "web-1", "exec"))));

        assertThat(verdict)
                .isEqualTo(new Verdict.Block("cluster-guardrails", "no-exec-in-prod", "No shells in production"));
    }

    @Test
    void evaluateWhenExecElsewhereThenReviewBySre() {
        Verdict verdict = ENGINE.evaluate(kubernetes(
                Subject.user("alice", "dev"),
                new HttpCall(
                        "POST",
                        "/api/v1/namespaces/dev/pods/web-1/exec",
                        new KubernetesCall("create", "", "v1", "dev", "pods", "web-1", "exec"))));

        assertThat(verdict).isInstanceOfSatisfying(Verdict.Review.class, review -> {
            assertThat(review.rule()).isEqualTo("shells-reviewed");
            assertThat(review.approverGroups()).containsExactly("sre");
            assertThat(review.approvals()).isEqualTo(1);
        });
    }

    @Test
    void evaluateWhenGetPodsThenAllowed() {
        Verdict verdict = ENGINE.evaluate(kubernetes(
                Subject.serviceAccount("demo-agent", "ai-agents"),
                new HttpCall(
                        "GET",
                        "/api/v1/namespaces/prod/pods/web-1",
                        new KubernetesCall("get", "", "v1", "prod", "pods", "web-1", null))));

        assertThat(verdict).isEqualTo(new Verdict.Allow("cluster-guardrails", "read-pods", List.of()));
    }

    @Test
    void evaluateWhenNamespaceRuleAndClusterScopedCallThenNoMatch() {
        // a cluster-wide exec does not exist, but a namespaced rule must not match a call without a namespace
        Verdict verdict = ENGINE.evaluate(kubernetes(
                Subject.serviceAccount("demo-agent", "ai-agents"),
                new HttpCall("GET", "/api/v1/pods", new KubernetesCall("get", "", "v1", null, "pods", "x", "exec"))));

        assertThat(verdict.rule()).isEqualTo("shells-reviewed");
    }

    @Test
    void evaluateWhenKubernetesRuleOnHttpConnectionThenOnlyHttpRulesApply() {
        RequestContext request = new RequestContext(
                Subject.serviceAccount("demo-agent", "ai-agents"),
                "cluster",
                Set.of("k8s"),
                ConnectionType.HTTP,
                new HttpCall("GET", "/api/v1/namespaces/prod/pods/web-1/exec/"));

        // no Kubernetes call, and an HTTP connection is not held to canonical Kubernetes paths
        assertThat(ENGINE.evaluate(request))
                .isEqualTo(new Verdict.Block(
                        "cluster-guardrails", null, "Blocked by the default of policy cluster-guardrails"));
    }

    @Test
    void evaluateWhenKubernetesConnectionWithoutPolicyThenNoPolicyReasonFirst() {
        RequestContext request = new RequestContext(
                Subject.serviceAccount("demo-agent", "ai-agents"),
                "other-cluster",
                Set.of(),
                ConnectionType.KUBERNETES,
                new HttpCall("GET", "//api/v1/secrets"));

        assertThat(ENGINE.evaluate(request))
                .isEqualTo(new Verdict.Block(null, null, "No policy applies to connection 'other-cluster'"));
    }

    private static RequestContext kubernetes(Subject subject, HttpCall call) {
        return new RequestContext(subject, "cluster", Set.of("k8s"), ConnectionType.KUBERNETES, call);
    }
}
