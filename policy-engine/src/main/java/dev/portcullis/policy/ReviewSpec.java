package dev.portcullis.policy;

import java.time.Duration;
import java.util.List;

/**
 * How a {@link Action#REVIEW} rule is reviewed: who may approve, how many must, and how long the request is held
 * waiting for them before the caller gets the review link instead.
 *
 * @param approvers groups whose members may approve, not empty
 * @param approvals approvals needed, 1 to 10
 * @param hold how long the request waits for the decision, 1 second to 24 hours
 */
public record ReviewSpec(List<String> approvers, int approvals, Duration hold) {

    /** Approvals needed when a document does not say. */
    public static final int DEFAULT_APPROVALS = 1;

    /** How long a request is held when a document does not say. */
    public static final Duration DEFAULT_HOLD = Duration.ofSeconds(60);

    /**
     * Checks the values; a {@code null} hold stands for {@link #DEFAULT_HOLD}.
     *
     * @param approvers groups whose members may approve, not empty
     * @param approvals approvals needed, 1 to 10
     * @param hold how long the request waits for the decision, 1 second to 24 hours
     * @throws IllegalArgumentException if there are no approvers or a number is out of range
     */
    public ReviewSpec {
        approvers = Checks.texts("approvers", approvers);
        if (approvers.isEmpty()) {
            throw new IllegalArgumentException("REVIEW rule needs review.approvers");
        }
        Checks.approvals(approvals);
        hold = Checks.hold(hold == null ? DEFAULT_HOLD : hold);
    }

    /**
     * A review by the given groups with one approval and the default hold.
     *
     * @param approvers groups whose members may approve
     */
    public ReviewSpec(List<String> approvers) {
        this(approvers, DEFAULT_APPROVALS, DEFAULT_HOLD);
    }
}
