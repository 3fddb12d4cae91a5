package dev.portcullis.policy.eval;

import dev.portcullis.policy.Action;
import dev.portcullis.policy.MaskingRule;
import java.time.Duration;
import java.util.List;

/**
 * What the engine decided for a request, with the policy and rule that decided it so that the proxy can tell the
 * caller and record it.
 */
public sealed interface Verdict permits Verdict.Allow, Verdict.Block, Verdict.Review {

    /**
     * The policy that decided.
     *
     * @return the policy's name; {@code null} only for a {@link Block} that no policy gave
     */
    String policy();

    /**
     * The rule that decided.
     *
     * @return the rule's name, or {@code null} when a policy's default decided or no policy applied
     */
    String rule();

    /**
     * The action this verdict stands for, for counting and recording.
     *
     * @return {@code ALLOW}, {@code BLOCK} or {@code REVIEW}
     */
    Action action();

    /**
     * Let the request through, masking what comes back.
     *
     * @param policy the policy that allowed it
     * @param rule the rule that allowed it, or {@code null} when the policy's default allowed it
     * @param masking the masking rules of every policy that applies to the connection, in policy order
     */
    record Allow(String policy, String rule, List<MaskingRule> masking) implements Verdict {

        /**
         * Checks the policy and copies the masking rules; {@code null} masking stands for none.
         *
         * @param policy the policy that allowed it
         * @param rule the rule that allowed it, or {@code null} when the policy's default allowed it
         * @param masking the masking rules of every policy that applies to the connection, in policy order
         * @throws IllegalArgumentException if the policy is missing
         */
        public Allow {
            Verdicts.requirePolicy(policy);
            masking = masking == null ? List.of() : List.copyOf(masking);
        }

        /**
         * {@inheritDoc}
         */
        @Override
        public Action action() {
            return Action.ALLOW;
        }
    }

    /**
     * Refuse the request.
     *
     * @param policy the policy that blocked it, or {@code null} when no policy applies to the connection (or the
     *     request could not be judged at all)
     * @param rule the rule that blocked it, or {@code null} when a policy's default blocked it
     * @param reason what the caller is told, never {@code null}
     */
    record Block(String policy, String rule, String reason) implements Verdict {

        /**
         * Checks the reason.
         *
         * @param policy the policy that blocked it, or {@code null}
         * @param rule the rule that blocked it, or {@code null}
         * @param reason what the caller is told
         * @throws IllegalArgumentException if the reason is empty
         */
        public Block {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("a block needs a reason");
            }
        }

        /**
         * {@inheritDoc}
         */
        @Override
        public Action action() {
            return Action.BLOCK;
        }
    }

    /**
     * Hold the request until enough approvers agree.
     *
     * @param policy the policy whose rule asked for the review
     * @param rule the rule that asked for the review
     * @param approverGroups groups whose members may approve, not empty
     * @param approvals approvals needed, at least 1
     * @param hold how long the request waits for the decision
     * @param masking the masking rules of every policy that applies to the connection, in policy order, for when the
     *     request is approved
     */
    record Review(
            String policy,
            String rule,
            List<String> approverGroups,
            int approvals,
            Duration hold,
            List<MaskingRule> masking)
            implements Verdict {

        /**
         * Checks the values and copies the lists; {@code null} masking stands for none.
         *
         * @param policy the policy whose rule asked for the review
         * @param rule the rule that asked for the review
         * @param approverGroups groups whose members may approve, not empty
         * @param approvals approvals needed, at least 1
         * @param hold how long the request waits for the decision
         * @param masking the masking rules of every applicable policy
         * @throws IllegalArgumentException if the policy, the rule, the approvers or the hold is missing, or approvals
         *     is below 1
         */
        public Review {
            Verdicts.requirePolicy(policy);
            if (rule == null || rule.isBlank()) {
                throw new IllegalArgumentException("a review verdict needs the rule that asked for it");
            }
            approverGroups = approverGroups == null ? List.of() : List.copyOf(approverGroups);
            if (approverGroups.isEmpty()) {
                throw new IllegalArgumentException("a review verdict needs approver groups");
            }
            if (approvals < 1) {
                throw new IllegalArgumentException("a review verdict needs at least one approval, got " + approvals);
            }
            if (hold == null || hold.isNegative() || hold.isZero()) {
                throw new IllegalArgumentException("a review verdict needs a positive hold");
            }
            masking = masking == null ? List.of() : List.copyOf(masking);
        }

        /**
         * {@inheritDoc}
         */
        @Override
        public Action action() {
            return Action.REVIEW;
        }
    }
}
