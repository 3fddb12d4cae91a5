package dev.portcullis.policy;

import java.util.List;

/**
 * The Kubernetes part of a condition, for HTTP connections that front a Kubernetes API server. An empty list does not
 * constrain.
 *
 * @param verbs API verbs, lower case ({@code get}, {@code list}, {@code watch}, {@code create}, {@code update},
 *     {@code patch}, {@code delete}, {@code deletecollection}), any of which matches
 * @param resources resource names such as {@code pods} or {@code secrets}, any of which matches
 * @param subresources subresource names such as {@code exec} or {@code log}, any of which matches
 * @param namespaces namespaces, any of which matches
 */
public record KubernetesMatch(
        List<String> verbs, List<String> resources, List<String> subresources, List<String> namespaces) {

    /**
     * Lower-cases and checks the verbs and copies the lists.
     *
     * @param verbs API verbs, lower case ({@code get}, {@code list}, {@code watch}, {@code create}, {@code update},
     *     {@code patch}, {@code delete}, {@code deletecollection}), any of which matches
     * @param resources resource names such as {@code pods} or {@code secrets}, any of which matches
     * @param subresources subresource names such as {@code exec} or {@code log}, any of which matches
     * @param namespaces namespaces, any of which matches
     * @throws IllegalArgumentException for an unknown verb or an empty entry
     */
    public KubernetesMatch {
        verbs = Checks.list("verbs", verbs, Checks::kubernetesVerb);
        resources = Checks.texts("resources", resources);
        subresources = Checks.texts("subresources", subresources);
        namespaces = Checks.texts("namespaces", namespaces);
    }
}
