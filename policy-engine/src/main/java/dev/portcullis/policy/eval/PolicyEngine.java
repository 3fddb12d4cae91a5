package dev.portcullis.policy.eval;

import dev.portcullis.policy.Action;
import dev.portcullis.policy.ConnectionSelector;
import dev.portcullis.policy.MaskingRule;
import dev.portcullis.policy.Policy;
import dev.portcullis.policy.ReviewSpec;
import dev.portcullis.policy.Rule;
import dev.portcullis.policy.connection.ConnectionType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides requests by a set of policies. Immutable and safe to share between threads: build one per policy snapshot
 * with {@link #of(Collection)} and call {@link #evaluate(RequestContext)} for every request.
 *
 * <p>How a request is decided:
 *
 * <ol>
 *   <li>The policies that apply to the connection (a selector names it, or names one of its tags) are put in order of
 *       priority, lower first, then name. If there are none, the request is blocked: a new connection stays closed
 *       until a policy opens it.
 *   <li>On a {@link ConnectionType#KUBERNETES} connection, an HTTP call without a {@link KubernetesCall} whose path is
 *       not {@linkplain KubernetesPaths#isNonResourcePath a canonical non-resource path} is blocked: the API server
 *       would read it as some resource request that no rule could be checked against.
 *   <li>The rules of those policies are tried in that order; the first whose {@code when} matches (see
 *       {@link ConditionMatcher} for each part) decides by its action. A {@code REVIEW} rule without a review spec,
 *       which the model does not allow, is treated as a block.
 *   <li>If no rule matches, the most restrictive default among the policies holds ({@code BLOCK} over {@code REVIEW}
 *       over {@code ALLOW}; on a tie the first policy in order is named). A {@code REVIEW} default blocks: a policy
 *       names approvers only on its rules, so there is nobody to ask.
 * </ol>
 *
 * <p>The masking rules of all applicable policies, in policy order, go with every {@link Verdict.Allow} and
 * {@link Verdict.Review}.
 */
public final class PolicyEngine {

    private static final Comparator<Policy> ORDER =
            Comparator.comparingInt(Policy::priority).thenComparing(Policy::name);

    // No policy or rule gave it, so both stay null, as when no policy applies.
    private static final Verdict.Block UNJUDGEABLE = new Verdict.Block(
            null,
            null,
            "Request path is not a canonical Kubernetes API path (empty, '.' or '..' segments, or percent-encoding)");

    private final List<Policy> policies;
    private final CompiledPolicy[] compiled;

    private PolicyEngine(List<Policy> policies) {
        this.policies = policies;
        this.compiled = policies.stream().map(CompiledPolicy::new).toArray(CompiledPolicy[]::new);
    }

    /**
     * Builds an engine for a set of policies.
     *
     * @param policies the policies, in any order; none at all blocks every request
     * @return the engine
     * @throws IllegalArgumentException if the collection is {@code null} or holds {@code null}, two policies share a
     *     name, or a Kubernetes {@code resources} entry is neither {@code NAME} nor {@code NAME/SUBRESOURCE}
     */
    public static PolicyEngine of(Collection<Policy> policies) {
        if (policies == null) {
            throw new IllegalArgumentException("policies must not be null");
        }
        Set<String> names = new HashSet<>();
        for (Policy policy : policies) {
            if (policy == null) {
                throw new IllegalArgumentException("policies must not contain null");
            }
            if (!names.add(policy.name())) {
                throw new IllegalArgumentException("duplicate policy name '" + policy.name() + "'");
            }
        }
        List<Policy> ordered = new ArrayList<>(policies);
        ordered.sort(ORDER);
        return new PolicyEngine(List.copyOf(ordered));
    }

    /**
     * Returns the policies in the order their rules are tried.
     *
     * @return the policies, by priority then name
     */
    public List<Policy> policies() {
        return policies;
    }

    /**
     * Decides a request.
     *
     * @param request who asks, through which connection, to do what
     * @return the verdict, never {@code null}
     * @throws IllegalArgumentException if the request is {@code null}
     */
    public Verdict evaluate(RequestContext request) {
        if (request == null) {
            throw new IllegalArgumentException("request must not be null");
        }
        String connection = request.connection();
        Set<String> tags = request.connectionTags();
        boolean judgeable = judgeable(request);

        CompiledPolicy strictest = null;
        CompiledPolicy decidingPolicy = null;
        CompiledRule decidingRule = null;
        // Built only when a second policy brings masking rules; one policy's list is handed out as it is.
        List<MaskingRule> masking = List.of();
        boolean maskingOwned = false;

        for (CompiledPolicy policy : compiled) {
            if (!policy.appliesTo(connection, tags)) {
                continue;
            }
            if (strictest == null || policy.defaultAction.isMoreRestrictiveThan(strictest.defaultAction)) {
                strictest = policy;
            }
            if (!policy.masking.isEmpty()) {
                if (masking.isEmpty()) {
                    masking = policy.masking;
                } else {
                    if (!maskingOwned) {
                        masking = new ArrayList<>(masking);
                        maskingOwned = true;
                    }
                    masking.addAll(policy.masking);
                }
            }
            if (decidingRule == null && judgeable) {
                decidingRule = policy.firstMatch(request.subject(), request.operation());
                if (decidingRule != null) {
                    decidingPolicy = policy;
                }
            }
        }

        if (strictest == null) {
            return new Verdict.Block(null, null, "No policy applies to connection '" + connection + "'");
        }
        if (!judgeable) {
            return UNJUDGEABLE;
        }
        if (decidingRule != null) {
            return decidingRule.verdict(decidingPolicy.name, masking);
        }
        return switch (strictest.defaultAction) {
            case ALLOW -> new Verdict.Allow(strictest.name, null, masking);
            case BLOCK -> strictest.defaultBlock;
            case REVIEW -> strictest.defaultReviewBlock;
        };
    }

    /**
     * Tells whether a caller may use a connection at all, by the connection's {@code allowedGroups}. Checked before
     * any policy: a caller outside them is told the connection does not exist.
     *
     * @param subject the caller
     * @param allowedGroups the connection's allowed groups; empty or {@code null} lets nobody in
     * @return {@code true} only if the caller belongs to at least one of the groups
     */
    public static boolean mayUse(Subject subject, Collection<String> allowedGroups) {
        return subject != null && subject.inAnyGroup(allowedGroups);
    }

    private static boolean judgeable(RequestContext request) {
        if (request.connectionType() != ConnectionType.KUBERNETES) {
            return true;
        }
        return !(request.operation() instanceof HttpCall call)
                || call.kubernetes() != null
                || KubernetesPaths.isNonResourcePath(call.path());
    }

    /** A policy prepared for evaluation: its verdicts that do not depend on the request are built once. */
    private static final class CompiledPolicy {

        final String name;
        final ConnectionSelector[] selectors;
        final CompiledRule[] rules;
        final Action defaultAction;
        final List<MaskingRule> masking;
        final Verdict.Block defaultBlock;
        final Verdict.Block defaultReviewBlock;

        CompiledPolicy(Policy policy) {
            name = policy.name();
            selectors = policy.connections().toArray(ConnectionSelector[]::new);
            rules = policy.rules().stream()
                    .map(rule -> new CompiledRule(policy.name(), rule))
                    .toArray(CompiledRule[]::new);
            defaultAction = policy.defaultAction();
            masking = policy.masking();
            defaultBlock = new Verdict.Block(name, null, "Blocked by the default of policy " + name);
            defaultReviewBlock =
                    new Verdict.Block(name, null, "Policy " + name + " defaults to REVIEW but names no approvers");
        }

        boolean appliesTo(String connection, Set<String> tags) {
            for (ConnectionSelector selector : selectors) {
                if (selector.matches(connection, tags)) {
                    return true;
                }
            }
            return false;
        }

        CompiledRule firstMatch(Subject subject, Operation operation) {
            for (CompiledRule rule : rules) {
                if (rule.when.matches(subject, operation)) {
                    return rule;
                }
            }
            return null;
        }
    }

    /** A rule prepared for evaluation. */
    private static final class CompiledRule {

        final String name;
        final Action action;
        final ConditionMatcher when;
        final ReviewSpec review;
        final Verdict.Block block;

        CompiledRule(String policy, Rule rule) {
            name = rule.name();
            action = rule.action();
            when = rule.when() == null ? ConditionMatcher.ANY : new ConditionMatcher(rule.when());
            review = rule.review();
            if (action == Action.BLOCK) {
                String reason =
                        rule.reason() != null ? rule.reason() : "Blocked by rule " + name + " of policy " + policy;
                block = new Verdict.Block(policy, name, reason);
            } else if (action == Action.REVIEW && review == null) {
                // the model refuses this; should another path produce one, fail closed
                block = new Verdict.Block(
                        policy,
                        name,
                        "Rule " + name + " of policy " + policy + " asks for REVIEW but names no approvers");
            } else {
                block = null;
            }
        }

        Verdict verdict(String policy, List<MaskingRule> masking) {
            if (block != null) {
                return block;
            }
            if (action == Action.ALLOW) {
                return new Verdict.Allow(policy, name, masking);
            }
            return new Verdict.Review(policy, name, review.approvers(), review.approvals(), review.hold(), masking);
        }
    }
}
