package dev.portcullis.controlplane.identity;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/**
 * The roles the API knows and how a caller's groups grant them. Roles come only from groups, so who may do what is
 * managed in one place, the identity provider's groups. A member of the agent group gets no role at all: an agent
 * under control never administers what controls it.
 */
@Component
public class Roles {

    public static final String ADMIN = "ADMIN";

    public static final String APPROVER = "APPROVER";

    public static final String AUDITOR = "AUDITOR";

    public static final String PROXY = "PROXY";

    private static final Set<String> KNOWN = Set.of(ADMIN, APPROVER, AUDITOR, PROXY);

    private final Map<String, String> groupRoles;

    private final String agentGroup;

    private final String groupsClaim;

    public Roles(OidcProperties properties) {
        this.groupRoles = properties.groupRoles();
        this.agentGroup = properties.agentGroup();
        this.groupsClaim = properties.groupsClaim();
        for (String role : groupRoles.values()) {
            if (!KNOWN.contains(role.toUpperCase(Locale.ROOT))) {
                throw new IllegalArgumentException("portcullis.oidc.role-mapping names an unknown role '" + role
                        + "' (known: admin, approver, auditor, proxy)");
            }
        }
    }

    /** The caller's groups, read from the token's groups claim ({@code portcullis.oidc.groups-claim}). */
    public List<String> groupsOf(Jwt jwt) {
        Object value = jwt.getClaims().get(groupsClaim);
        if (value instanceof Collection<?> collection) {
            return collection.stream().map(String::valueOf).toList();
        }
        if (value instanceof String single) {
            return List.of(single);
        }
        return List.of();
    }

    /** The roles held by a member of {@code groups}; none for a member of the agent group. */
    public Set<String> fromGroups(Collection<String> groups) {
        Set<String> roles = new TreeSet<>();
        if (groups.contains(agentGroup)) {
            return roles;
        }
        for (String group : groups) {
            String role = groupRoles.get(group);
            if (role != null) {
                roles.add(role.toUpperCase(Locale.ROOT));
            }
        }
        return roles;
    }
}
