package dev.portcullis.policy.eval;

import dev.portcullis.policy.Condition;
import dev.portcullis.policy.HttpMatch;
import dev.portcullis.policy.KubernetesMatch;
import dev.portcullis.policy.PathPattern;
import dev.portcullis.policy.SubjectMatch;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A rule's {@link Condition} prepared for matching: sets for the names, path patterns built once, so that a request
 * costs lookups and no set-up.
 *
 * <p>Every given part must match:
 *
 * <ul>
 *   <li>{@code subjects} matches when any listed identity is the caller: its name among {@code users} (people only),
 *       its name among {@code serviceAccounts} (service accounts only), or any of its groups among {@code groups}.
 *       With all three lists empty it matches everyone.
 *   <li>{@code http} matches an HTTP call whose method is one of {@code methods} (any case) and whose path matches one
 *       of {@code paths}; an empty list does not constrain.
 *   <li>{@code kubernetes} matches only an HTTP call that carries a {@link KubernetesCall}, when its verb is one of
 *       {@code verbs}, its namespace one of {@code namespaces} (a cluster-scoped call has none and so never matches a
 *       list of namespaces), its resource one of {@code resources} and its subresource one of {@code subresources}; an
 *       empty list does not constrain. A {@code resources} entry {@code pods} matches the resource whatever the
 *       subresource, {@code pods/exec} only that subresource of it. Resources, subresources and namespaces are
 *       compared in lower case, as Kubernetes names them, and without regard to the API group.
 *   <li>{@code sql} never matches an HTTP call.
 * </ul>
 */
final class ConditionMatcher {

    static final ConditionMatcher ANY = new ConditionMatcher(Condition.ANY);

    private final boolean sql;

    private final boolean subjects;
    private final Set<String> users;
    private final Set<String> groups;
    private final Set<String> serviceAccounts;

    private final boolean http;
    private final String[] methods;
    private final PathPattern[] paths;

    private final boolean kubernetes;
    private final Set<String> verbs;
    private final ResourceEntry[] resources;
    private final Set<String> subresources;
    private final Set<String> namespaces;

    /**
     * Prepares a condition.
     *
     * @throws IllegalArgumentException for a {@code resources} entry that is neither {@code NAME} nor
     *     {@code NAME/SUBRESOURCE}
     */
    ConditionMatcher(Condition condition) {
        Condition when = condition == null ? Condition.ANY : condition;
        sql = when.sql() != null;

        SubjectMatch who = when.subjects();
        subjects = who != null
                && !(who.users().isEmpty()
                        && who.groups().isEmpty()
                        && who.serviceAccounts().isEmpty());
        users = who == null ? Set.of() : Set.copyOf(who.users());
        groups = who == null ? Set.of() : Set.copyOf(who.groups());
        serviceAccounts = who == null ? Set.of() : Set.copyOf(who.serviceAccounts());

        HttpMatch what = when.http();
        http = what != null;
        methods = what == null ? new String[0] : what.methods().toArray(String[]::new);
        paths = what == null ? new PathPattern[0] : what.pathPatterns().toArray(PathPattern[]::new);

        KubernetesMatch kube = when.kubernetes();
        kubernetes = kube != null;
        verbs = kube == null ? Set.of() : Set.copyOf(kube.verbs());
        resources = kube == null
                ? new ResourceEntry[0]
                : kube.resources().stream().map(ResourceEntry::parse).toArray(ResourceEntry[]::new);
        subresources = kube == null ? Set.of() : lowerCase(kube.subresources());
        namespaces = kube == null ? Set.of() : lowerCase(kube.namespaces());
    }

    boolean matches(Subject subject, Operation operation) {
        if (subjects && !matchesSubject(subject)) {
            return false;
        }
        if (!(operation instanceof HttpCall call)) {
            // loud rather than "no match": a kind of operation added to the sealed interface needs its own branch
            throw new IllegalStateException(
                    "no matching for " + operation.getClass().getSimpleName() + " yet");
        }
        if (sql) {
            return false;
        }
        if (http && !matchesHttp(call)) {
            return false;
        }
        return !kubernetes || matchesKubernetes(call.kubernetes());
    }

    private boolean matchesSubject(Subject subject) {
        if (subject.serviceAccount() ? serviceAccounts.contains(subject.name()) : users.contains(subject.name())) {
            return true;
        }
        if (groups.isEmpty()) {
            return false;
        }
        for (String group : subject.groups()) {
            if (groups.contains(group)) {
                return true;
            }
        }
        return false;
    }

    private boolean matchesHttp(HttpCall call) {
        if (methods.length > 0) {
            boolean any = false;
            for (String method : methods) {
                if (method.equalsIgnoreCase(call.method())) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return false;
            }
        }
        if (paths.length == 0) {
            return true;
        }
        for (PathPattern path : paths) {
            if (path.matches(call.path())) {
                return true;
            }
        }
        return false;
    }

    private boolean matchesKubernetes(KubernetesCall call) {
        if (call == null) {
            return false;
        }
        if (!verbs.isEmpty() && !verbs.contains(call.verb())) {
            return false;
        }
        if (!namespaces.isEmpty() && (call.namespace() == null || !namespaces.contains(call.namespace()))) {
            return false;
        }
        if (!subresources.isEmpty() && (call.subresource() == null || !subresources.contains(call.subresource()))) {
            return false;
        }
        if (resources.length == 0) {
            return true;
        }
        for (ResourceEntry resource : resources) {
            if (resource.matches(call)) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> lowerCase(List<String> values) {
        Set<String> lower = new HashSet<>();
        for (String value : values) {
            lower.add(value.trim().toLowerCase(Locale.ROOT));
        }
        return Set.copyOf(lower);
    }

    /** One entry of {@code resources}: {@code pods} (any subresource) or {@code pods/exec}. */
    private record ResourceEntry(String resource, String subresource) {

        static ResourceEntry parse(String entry) {
            String text = entry.trim().toLowerCase(Locale.ROOT);
            int slash = text.indexOf('/');
            if (slash < 0) {
                return new ResourceEntry(text, null);
            }
            String resource = text.substring(0, slash);
            String subresource = text.substring(slash + 1);
            // an entry that could never match would silently open what a BLOCK rule meant to close
            if (resource.isEmpty() || subresource.isEmpty() || subresource.indexOf('/') >= 0) {
                throw new IllegalArgumentException("Kubernetes resource '" + entry
                        + "' must be RESOURCE or RESOURCE/SUBRESOURCE, such as pods or pods/exec");
            }
            return new ResourceEntry(resource, subresource);
        }

        boolean matches(KubernetesCall call) {
            return resource.equals(call.resource()) && (subresource == null || subresource.equals(call.subresource()));
        }
    }
}
