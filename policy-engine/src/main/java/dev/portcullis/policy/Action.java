package dev.portcullis.policy;

/**
 * What a rule, or a policy's default, decides for a request.
 *
 * <p>The declaration order is the order of the document; restrictiveness is a separate ranking because several
 * policies can apply to one connection and the strictest default among them must hold.
 */
public enum Action {

    /** Let the request through (after masking). */
    ALLOW(0),

    /** Refuse the request, telling the caller why. */
    BLOCK(2),

    /** Hold the request until enough approvers agree, or the hold runs out. */
    REVIEW(1);

    private final int restrictiveness;

    Action(int restrictiveness) {
        this.restrictiveness = restrictiveness;
    }

    /**
     * Ranks this action by how much it holds back: {@code ALLOW} lowest, then {@code REVIEW}, {@code BLOCK} highest.
     *
     * @return a number that is larger for more restrictive actions
     */
    public int restrictiveness() {
        return restrictiveness;
    }

    /**
     * Tells whether this action holds back more than another one.
     *
     * @param other the action to compare with
     * @return {@code true} if this action is strictly more restrictive
     */
    public boolean isMoreRestrictiveThan(Action other) {
        return restrictiveness > other.restrictiveness;
    }

    /**
     * Picks the stricter of two actions, as used when several policies apply to one connection.
     *
     * @param a one action
     * @param b another action
     * @return {@code BLOCK} over {@code REVIEW} over {@code ALLOW}
     */
    public static Action mostRestrictive(Action a, Action b) {
        return b.isMoreRestrictiveThan(a) ? b : a;
    }
}
