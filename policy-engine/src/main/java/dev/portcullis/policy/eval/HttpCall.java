package dev.portcullis.policy.eval;

/**
 * An HTTP request to a connection, as the target will see it.
 *
 * @param method the HTTP method; compared without regard to case
 * @param path the request path below {@code /c/{connection}}, starting with {@code /}, without the query, decoded the
 *     way the target decodes it (see {@link dev.portcullis.policy.PathPattern}, which resolves dot and empty segments
 *     itself)
 * @param kubernetes the Kubernetes API call the request makes, read with {@link KubernetesPaths#parse}, or {@code null}
 *     if the connection is not a Kubernetes API server or the path is not a resource path
 */
public record HttpCall(String method, String path, KubernetesCall kubernetes) implements Operation {

    /**
     * Checks the method and the path.
     *
     * @param method the HTTP method; compared without regard to case
     * @param path the request path below {@code /c/{connection}}, starting with {@code /}, without the query
     * @param kubernetes the Kubernetes API call the request makes, or {@code null}
     * @throws IllegalArgumentException if the method is empty or the path does not start with {@code /}
     */
    public HttpCall {
        if (method == null || method.isBlank()) {
            throw new IllegalArgumentException("HTTP method must not be empty");
        }
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("HTTP path must start with '/'");
        }
    }

    /**
     * A plain HTTP request, not to a Kubernetes API server.
     *
     * @param method the HTTP method
     * @param path the request path, starting with {@code /}
     */
    public HttpCall(String method, String path) {
        this(method, path, null);
    }
}
