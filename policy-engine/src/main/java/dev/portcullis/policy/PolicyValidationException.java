package dev.portcullis.policy;

import java.util.List;

/**
 * Thrown when a policy document is not a valid policy. It carries every problem found, not only the first, so that
 * the person editing can fix them all in one go; the message summarizes them on one line.
 */
public class PolicyValidationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<PolicyProblem> problems;

    /**
     * Creates the exception.
     *
     * @param problems what is wrong, at least one
     * @throws IllegalArgumentException if there are no problems
     */
    public PolicyValidationException(List<PolicyProblem> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * Returns everything found wrong, in document order.
     *
     * @return the problems, never empty
     */
    public List<PolicyProblem> problems() {
        return problems;
    }

    private static String summary(List<PolicyProblem> problems) {
        if (problems == null || problems.isEmpty()) {
            throw new IllegalArgumentException("a validation failure needs at least one problem");
        }
        String summary = "policy is invalid: " + problems.get(0).describe();
        int more = problems.size() - 1;
        if (more == 1) {
            summary += " (and 1 more problem)";
        } else if (more > 1) {
            summary += " (and " + more + " more problems)";
        }
        return summary;
    }
}
