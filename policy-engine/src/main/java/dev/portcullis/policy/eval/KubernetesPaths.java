package dev.portcullis.policy.eval;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the Kubernetes API call out of an HTTP request the way the API server does for authorization (its
 * {@code RequestInfoFactory}), so that a rule on {@code pods/exec} in {@code prod} sees what the API server will
 * authorize.
 *
 * <p>Resource paths are {@code /api/{version}/...} for the core group and {@code /apis/{group}/{version}/...}, followed
 * by {@code namespaces/{namespace}/} for namespaced resources, then {@code {resource}[/{name}[/{subresource}[/...]]]}.
 * The namespace object itself ({@code /api/v1/namespaces/prod}) is resource {@code namespaces} named {@code prod},
 * and, as in Kubernetes, its namespace is {@code prod} too. Segments after the subresource (the target path of
 * {@code pods/x/proxy/...}) are not interpreted. The legacy {@code /watch/} and {@code /proxy/} prefixes after the
 * version give the verbs {@code watch} and {@code proxy}.
 *
 * <p>The verb follows the method: {@code GET} and {@code HEAD} give {@code get} on a named object and {@code list} on a
 * collection ({@code watch} when the {@code watch} query parameter is present and neither {@code false} nor {@code 0},
 * exactly as the API server decodes it, so {@code watch=true}, {@code watch=1} and even {@code watch=} are watches);
 * {@code POST} gives {@code create} (so does a {@code POST} to {@code pods/x/exec}), {@code PUT} {@code update},
 * {@code PATCH} {@code patch}, {@code DELETE} {@code delete} on a named object and {@code deletecollection} on a
 * collection. Other methods are not resource requests here.
 *
 * <p>Nothing is decoded. A path with an empty, {@code .} or {@code ..} segment anywhere, or a {@code %} in a segment
 * that is interpreted, is not read at all: the API server would resolve it differently from its face, and guessing
 * wrong would let a request slip past a rule. {@link PolicyEngine} refuses such requests on Kubernetes connections
 * (see {@link #isNonResourcePath}).
 */
public final class KubernetesPaths {

    private static final String CORE_PREFIX = "api";
    private static final String GROUP_PREFIX = "apis";
    private static final String NAMESPACES = "namespaces";

    private KubernetesPaths() {}

    /**
     * Reads a Kubernetes API resource request.
     *
     * @param method the HTTP method
     * @param path the raw request path, not decoded, without the query
     * @param query the decoded query parameters, or {@code null} for none; only {@code watch} is read
     * @return the call, or empty for a non-resource path ({@code /version}, {@code /healthz}, {@code /openapi/v2},
     *     discovery such as {@code /apis/apps/v1}), a method that is not a resource verb, or a path that is not in
     *     canonical form
     */
    public static Optional<KubernetesCall> parse(String method, String path, Map<String, List<String>> query) {
        if (method == null || path == null || !path.startsWith("/")) {
            return Optional.empty();
        }
        String verb = verbOf(method);
        if (verb == null) {
            return Optional.empty();
        }
        String[] parts = segments(path);
        if (!canonical(parts) || parts.length < 3) {
            return Optional.empty();
        }
        int i;
        String group;
        if (parts[0].equals(CORE_PREFIX)) {
            group = "";
            i = 1;
        } else if (parts[0].equals(GROUP_PREFIX)) {
            if (parts.length < 4) {
                return Optional.empty(); // /apis/{group}/{version} is discovery
            }
            group = parts[1];
            i = 2;
        } else {
            return Optional.empty();
        }
        String version = parts[i++];

        boolean verbFromPath = false;
        if (parts[i].equals("watch") || parts[i].equals("proxy")) {
            if (parts.length - i < 2) {
                return Optional.empty(); // the API server refuses these too
            }
            verb = parts[i++];
            verbFromPath = true;
        }

        String namespace = null;
        if (parts[i].equals(NAMESPACES) && parts.length - i > 1) {
            namespace = parts[i + 1];
            // namespaces/{ns}/status and /finalize are the namespace's own subresources, anything else a resource in it
            if (parts.length - i > 2 && !isNamespaceSubresource(parts[i + 2])) {
                i += 2;
            }
        }

        int remaining = parts.length - i;
        String resource = parts[i];
        String name = remaining >= 2 ? parts[i + 1] : null;
        // after proxy/ the rest is the proxied path, not a subresource
        String subresource = remaining >= 3 && !verb.equals("proxy") ? parts[i + 2] : null;

        if (!verbFromPath && name == null) {
            if (verb.equals("get")) {
                verb = isWatch(query) ? "watch" : "list";
            } else if (verb.equals("delete")) {
                verb = "deletecollection";
            }
        }

        if (encoded(group)
                || encoded(version)
                || encoded(namespace)
                || encoded(resource)
                || encoded(name)
                || encoded(subresource)) {
            // the API server decodes before it interprets: x%2Fexec is x/exec to it
            return Optional.empty();
        }
        return Optional.of(new KubernetesCall(verb, group, version, namespace, resource, name, subresource));
    }

    /**
     * Tells whether a path is one the API server serves without a resource behind it, in canonical form: the root,
     * {@code /version}, {@code /healthz}, {@code /openapi/v2}, {@code /.well-known/...}, and discovery
     * ({@code /api}, {@code /api/v1}, {@code /apis}, {@code /apis/{group}}, {@code /apis/{group}/{version}}).
     *
     * <p>A path is not one of these if it has an empty, {@code .} or {@code ..} segment, or a {@code %} anywhere,
     * because the API server would resolve it to something else, possibly a resource.
     *
     * @param path the request path, without the query
     * @return {@code true} if the path is canonical and names no resource
     */
    public static boolean isNonResourcePath(String path) {
        if (path == null || !path.startsWith("/")) {
            return false;
        }
        if (path.equals("/")) {
            return true;
        }
        if (path.indexOf('%') >= 0) {
            return false;
        }
        String[] parts = segments(path);
        if (!canonical(parts)) {
            return false;
        }
        if (parts[0].equals(CORE_PREFIX)) {
            return parts.length <= 2;
        }
        if (parts[0].equals(GROUP_PREFIX)) {
            return parts.length <= 3;
        }
        return true;
    }

    private static String verbOf(String method) {
        // HTTP methods are case-sensitive, but reading "delete" as DELETE can only make a rule match more often
        if (method.equalsIgnoreCase("GET") || method.equalsIgnoreCase("HEAD")) {
            return "get";
        }
        if (method.equalsIgnoreCase("POST")) {
            return "create";
        }
        if (method.equalsIgnoreCase("PUT")) {
            return "update";
        }
        if (method.equalsIgnoreCase("PATCH")) {
            return "patch";
        }
        if (method.equalsIgnoreCase("DELETE")) {
            return "delete";
        }
        return null;
    }

    /** The segments after the leading slash; a trailing slash gives a last empty segment. */
    private static String[] segments(String path) {
        // String.split with a one-character separator takes a fast path without regular expressions
        return path.substring(1).split("/", -1);
    }

    private static boolean canonical(String[] parts) {
        for (String part : parts) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNamespaceSubresource(String segment) {
        return segment.equals("status") || segment.equals("finalize");
    }

    /** As the API server's query decoding: only absent, {@code false} (any case) and {@code 0} are not a watch. */
    private static boolean isWatch(Map<String, List<String>> query) {
        if (query == null) {
            return false;
        }
        List<String> values = query.get("watch");
        if (values == null || values.isEmpty()) {
            return false;
        }
        String first = values.get(0);
        if (first == null) {
            return true; // "?watch" with no value reaches the API server as an empty string
        }
        return !(first.equals("0") || first.equalsIgnoreCase("false"));
    }

    private static boolean encoded(String segment) {
        return segment != null && segment.indexOf('%') >= 0;
    }
}
