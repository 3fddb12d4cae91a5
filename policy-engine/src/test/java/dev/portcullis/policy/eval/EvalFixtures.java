package dev.portcullis.policy.eval;

import dev.portcullis.policy.Policy;
import dev.portcullis.policy.PolicyParser;
import dev.portcullis.policy.connection.ConnectionType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Policies and requests for the evaluation tests. */
final class EvalFixtures {

    /** The design's example policy, as the parser tests hold it. */
    static final String DEMO_GUARDRAILS = "/policies/demo-guardrails.yaml";

    private EvalFixtures() {}

    static String resource(String path) {
        try (InputStream in = EvalFixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Policy policy(String path) {
        return PolicyParser.parse(resource(path));
    }

    /** The design's demo policy beside policies selected by tag and by name, with various priorities and defaults. */
    static PolicyEngine httpEngine() {
        return PolicyEngine.of(List.of(
                policy(DEMO_GUARDRAILS),
                policy("/eval/policies/demo-early.yaml"),
                policy("/eval/policies/prod-lockdown.yaml"),
                policy("/eval/policies/pci-strict.yaml"),
                policy("/eval/policies/named-people.yaml")));
    }

    static PolicyEngine kubernetesEngine() {
        return PolicyEngine.of(List.of(policy("/eval/kubernetes/cluster-guardrails.yaml")));
    }

    /** Space-separated words as a set; {@code null} or blank for none. */
    static Set<String> words(String text) {
        if (text == null || text.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(text.trim().split("\\s+")).collect(Collectors.toUnmodifiableSet());
    }

    static Subject demoAgent() {
        return Subject.serviceAccount("demo-agent", "ai-agents");
    }

    static Subject demoOps() {
        return Subject.serviceAccount("demo-ops", "admins", "approvers", "auditors");
    }

    static RequestContext http(Subject subject, String connection, String method, String path, String... tags) {
        return new RequestContext(subject, connection, Set.of(tags), ConnectionType.HTTP, new HttpCall(method, path));
    }
}
