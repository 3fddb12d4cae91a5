package dev.portcullis.policy;

/**
 * The {@code when} of a rule. Each part is optional and every given part must match; a request that a part cannot
 * apply to (an HTTP request against an {@code sql} part) does not match it.
 *
 * @param subjects who is asking, or {@code null}
 * @param sql what the SQL statement is, or {@code null}
 * @param http what the HTTP request is, or {@code null}
 * @param kubernetes what the Kubernetes API call is, or {@code null}
 */
public record Condition(SubjectMatch subjects, SqlMatch sql, HttpMatch http, KubernetesMatch kubernetes) {

    /** A condition that constrains nothing. */
    public static final Condition ANY = new Condition(null, null, null, null);

    /**
     * Tells whether no part is given, in which case the condition matches every request.
     *
     * @return {@code true} if all parts are {@code null}
     */
    public boolean isEmpty() {
        return subjects == null && sql == null && http == null && kubernetes == null;
    }
}
