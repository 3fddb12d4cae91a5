package dev.portcullis.policy.eval;

/** Checks shared by the verdict records; a nested class of a sealed interface would be public. */
final class Verdicts {

    private Verdicts() {}

    static void requirePolicy(String policy) {
        if (policy == null || policy.isBlank()) {
            throw new IllegalArgumentException("verdict needs the policy that decided");
        }
    }
}
