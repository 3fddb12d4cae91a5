package dev.portcullis.policy;

/**
 * One rule of a policy: when it matches, its action decides. Rules are tried in order and the first match wins.
 *
 * @param name the rule's name, unique within its policy; it is shown to callers and recorded with every verdict
 * @param when the condition, or {@code null} to match every request
 * @param action what happens when the rule matches
 * @param reason what the caller is told, or {@code null}; a {@code BLOCK} without one is explained by the rule name
 *     when it is enforced
 * @param review how the request is reviewed; required for {@link Action#REVIEW} and only allowed there
 */
public record Rule(String name, Condition when, Action action, String reason, ReviewSpec review) {

    /**
     * Checks the rule; an empty condition is kept as {@code null} so that equal rules compare equal.
     *
     * @param name the rule's name, unique within its policy; it is shown to callers and recorded with every verdict
     * @param when the condition, or {@code null} to match every request
     * @param action what happens when the rule matches
     * @param reason what the caller is told, or {@code null}; a {@code BLOCK} without one is explained by the rule name
     *     when it is enforced
     * @param review how the request is reviewed; required for {@link Action#REVIEW} and only allowed there
     * @throws IllegalArgumentException if the name is invalid, the action is missing, or the review does not fit the
     *     action
     */
    public Rule {
        Checks.name("name", name);
        if (action == null) {
            throw new IllegalArgumentException("missing required key 'action'");
        }
        if (when != null && when.isEmpty()) {
            when = null;
        }
        reason = Checks.optionalText(reason);
        if (action == Action.REVIEW && review == null) {
            throw new IllegalArgumentException("REVIEW rule needs review.approvers");
        }
        if (action != Action.REVIEW && review != null) {
            throw new IllegalArgumentException("'review' is only allowed on REVIEW rules, this one is " + action);
        }
    }
}
