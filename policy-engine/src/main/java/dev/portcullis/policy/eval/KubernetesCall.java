package dev.portcullis.policy.eval;

/**
 * A Kubernetes API resource request, read from the HTTP method and path the way the API server reads it for
 * authorization (its {@code RequestInfo}).
 *
 * @param verb {@code get}, {@code list}, {@code watch}, {@code create}, {@code update}, {@code patch}, {@code delete}
 *     or {@code deletecollection}; {@code proxy} or {@code watch} for the legacy {@code /proxy/} and {@code /watch/}
 *     path prefixes
 * @param apiGroup the API group, empty for the core group ({@code /api/v1})
 * @param apiVersion the API version such as {@code v1}
 * @param namespace the namespace, or {@code null} for a cluster-scoped request; for the namespace object itself
 *     ({@code /api/v1/namespaces/prod}) this is that namespace, as Kubernetes has it
 * @param resource the resource, such as {@code pods}
 * @param name the object's name, or {@code null} for a request on the collection
 * @param subresource the subresource such as {@code exec}, {@code log} or {@code status}, or {@code null}
 */
public record KubernetesCall(
        String verb,
        String apiGroup,
        String apiVersion,
        String namespace,
        String resource,
        String name,
        String subresource) {

    /**
     * Checks the required parts.
     *
     * @param verb the API verb
     * @param apiGroup the API group, empty for the core group
     * @param apiVersion the API version
     * @param namespace the namespace, or {@code null}
     * @param resource the resource
     * @param name the object's name, or {@code null}
     * @param subresource the subresource, or {@code null}
     * @throws IllegalArgumentException if the verb, the version or the resource is empty, or the group is
     *     {@code null}
     */
    public KubernetesCall {
        require("verb", verb);
        if (apiGroup == null) {
            throw new IllegalArgumentException("Kubernetes API group must not be null (empty for the core group)");
        }
        require("apiVersion", apiVersion);
        require("resource", resource);
    }

    private static void require(String what, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("Kubernetes " + what + " must not be empty");
        }
    }
}
