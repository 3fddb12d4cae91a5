package dev.portcullis.controlplane.identity;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The roles the API knows and the groups that grant them. Roles come only from groups, so that who may do what is
 * managed in one place (the identity provider's groups).
 */
public final class Roles {

    public static final String ADMIN = "ADMIN";

    public static final String APPROVER = "APPROVER";

    public static final String AUDITOR = "AUDITOR";

    public static final String PROXY = "PROXY";

    /** The default mapping of groups to roles; the external-issuer set-up makes it configurable. */
    public static final Map<String, String> DEFAULT_GROUP_ROLES =
            Map.of("admins", ADMIN, "approvers", APPROVER, "auditors", AUDITOR, "proxies", PROXY);

    private Roles() {}

    /** The roles held by a member of {@code groups}. */
    public static Set<String> fromGroups(Collection<String> groups) {
        Set<String> roles = new TreeSet<>();
        for (String group : groups) {
            String role = DEFAULT_GROUP_ROLES.get(group);
            if (role != null) {
                roles.add(role);
            }
        }
        return roles;
    }
}
