package dev.portcullis.controlplane.identity;

import dev.portcullis.controlplane.audit.AuditLog;
import dev.portcullis.controlplane.system.ApiException;
import dev.portcullis.controlplane.system.SnapshotVersions;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Service accounts: the identities of agents and automation. Each is an OAuth2 client of the built-in issuer
 * (client credentials) whose name is its client id and its tokens' subject. Its secret is shown once and stored only
 * as a hash; disabling it revokes the subject everywhere.
 */
@Service
public class ServiceAccounts {

    static final String RESOURCE = "service-account";

    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    static final Pattern GROUP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,254}");

    /** What client authentication needs to know of a service account. */
    public record Client(UUID id, String clientId, String secretHash, boolean enabled, Duration tokenTtl) {

        @Override
        public String toString() {
            return "Client[clientId=" + clientId + ", enabled=" + enabled + "]";
        }
    }

    private final JdbcClient jdbc;

    private final PasswordEncoder passwordEncoder;

    private final Revocations revocations;

    private final SnapshotVersions snapshotVersions;

    private final AuditLog auditLog;

    private final OidcProperties oidc;

    private final Clock clock;

    ServiceAccounts(
            JdbcClient jdbc,
            PasswordEncoder passwordEncoder,
            Revocations revocations,
            SnapshotVersions snapshotVersions,
            AuditLog auditLog,
            OidcProperties oidc,
            Clock clock) {
        this.jdbc = jdbc;
        this.passwordEncoder = passwordEncoder;
        this.revocations = revocations;
        this.snapshotVersions = snapshotVersions;
        this.auditLog = auditLog;
        this.oidc = oidc;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public List<ServiceAccountView> list() {
        return jdbc.sql(SELECT + " order by name").query(this::view).list();
    }

    @Transactional(readOnly = true)
    public ServiceAccountView get(String name) {
        return find(name);
    }

    @Transactional(readOnly = true)
    public boolean exists(String name) {
        return jdbc.sql("select exists (select 1 from service_accounts where name = ?)")
                .param(name)
                .query(Boolean.class)
                .single();
    }

    /** Creates a service account with a fresh secret, returned this once. */
    @Transactional
    public ServiceAccountSecret create(ServiceAccountRequest request, String actor) {
        List<ApiException.Problem> problems = new ArrayList<>();
        String name = request.name();
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add(new ApiException.Problem(
                    "name",
                    null,
                    null,
                    "must be 1-63 lower-case letters, digits or '-', starting with a letter or digit"));
        }
        List<String> groups = groups(request.groups(), problems);
        long ttl = request.tokenTtlSeconds() == null ? oidc.agentTokenTtl().toSeconds() : request.tokenTtlSeconds();
        if (ttl < 30 || ttl > oidc.maxTokenTtl().toSeconds()) {
            problems.add(new ApiException.Problem(
                    "tokenTtlSeconds",
                    null,
                    null,
                    "must be between 30 and " + oidc.maxTokenTtl().toSeconds() + " (portcullis.oidc.max-token-ttl)"));
        }
        if (request.description() != null && request.description().length() > 1024) {
            problems.add(new ApiException.Problem("description", null, null, "must be at most 1024 characters"));
        }
        if (!problems.isEmpty()) {
            throw new ApiException.Invalid(
                    problems.get(0).path() + ": " + problems.get(0).message(), problems);
        }
        if (exists(name) || userExists(name)) {
            // Users and service accounts share one namespace: a token's subject must name one identity.
            throw new ApiException.Conflict("a user or service account named '" + name + "' already exists");
        }
        String secret = Secrets.generate();
        Instant now = Instant.now(clock);
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into service_accounts (id, name, client_id, secret_hash, secret_rotated_at, description,"
                        + " token_ttl_seconds, enabled, created_at, created_by, updated_at)"
                        + " values (?, ?, ?, ?, ?, ?, ?, true, ?, ?, ?)")
                .params(
                        id,
                        name,
                        name,
                        passwordEncoder.encode(secret),
                        Timestamp.from(now),
                        request.description(),
                        (int) ttl,
                        Timestamp.from(now),
                        actor,
                        Timestamp.from(now))
                .update();
        for (String group : groups) {
            UUID groupId = Groups.ensure(jdbc, group, now);
            jdbc.sql("insert into group_memberships (group_id, service_account_id, created_at) values (?, ?, ?)")
                    .params(groupId, id, Timestamp.from(now))
                    .update();
        }
        ServiceAccountView view = find(name);
        auditLog.record("service-account.create", RESOURCE, name, null, view);
        snapshotVersions.bump();
        return new ServiceAccountSecret(view, name, secret);
    }

    /** Disables a service account: its secret stops working and its subject is revoked on every proxy. */
    @Transactional
    public ServiceAccountView disable(String name, String actor) {
        ServiceAccountView before = find(name);
        jdbc.sql("update service_accounts set enabled = false, disabled_at = ?, updated_at = ? where name = ?")
                .params(Timestamp.from(Instant.now(clock)), Timestamp.from(Instant.now(clock)), name)
                .update();
        revocations.revoke(name, "service account disabled", actor);
        ServiceAccountView after = find(name);
        auditLog.record("service-account.disable", RESOURCE, name, before, after);
        return after;
    }

    /** Enables a disabled service account again. */
    @Transactional
    public ServiceAccountView enable(String name) {
        ServiceAccountView before = find(name);
        jdbc.sql("update service_accounts set enabled = true, disabled_at = null, updated_at = ? where name = ?")
                .params(Timestamp.from(Instant.now(clock)), name)
                .update();
        revocations.restore(name);
        ServiceAccountView after = find(name);
        auditLog.record("service-account.enable", RESOURCE, name, before, after);
        return after;
    }

    /** Replaces the secret; the old one stops working at once. The new one is returned this once. */
    @Transactional
    public ServiceAccountSecret rotateSecret(String name) {
        ServiceAccountView before = find(name);
        String secret = Secrets.generate();
        Instant now = Instant.now(clock);
        jdbc.sql("update service_accounts set secret_hash = ?, secret_rotated_at = ?, updated_at = ? where name = ?")
                .params(passwordEncoder.encode(secret), Timestamp.from(now), Timestamp.from(now), name)
                .update();
        ServiceAccountView after = find(name);
        auditLog.record("service-account.rotate-secret", RESOURCE, name, before, after);
        return new ServiceAccountSecret(after, name, secret);
    }

    /** The client registration of an account, for client authentication; absent for unknown client ids. */
    @Transactional(readOnly = true)
    public Optional<Client> client(String clientId) {
        return jdbc.sql("select id, client_id, secret_hash, enabled, token_ttl_seconds from service_accounts"
                        + " where client_id = ?")
                .param(clientId)
                .query((rs, i) -> new Client(
                        (UUID) rs.getObject("id"),
                        rs.getString("client_id"),
                        rs.getString("secret_hash"),
                        rs.getBoolean("enabled"),
                        oidc.capped(Duration.ofSeconds(rs.getInt("token_ttl_seconds")))))
                .optional();
    }

    /** The client registration of an account by its id. */
    @Transactional(readOnly = true)
    public Optional<Client> clientById(UUID id) {
        return jdbc.sql("select client_id from service_accounts where id = ?")
                .param(id)
                .query(String.class)
                .optional()
                .flatMap(this::client);
    }

    /** The groups of a service account, by its client id. */
    @Transactional(readOnly = true)
    public List<String> groupsOf(String clientId) {
        return jdbc.sql("select g.name from groups g join group_memberships m on m.group_id = g.id"
                        + " join service_accounts s on s.id = m.service_account_id where s.client_id = ?"
                        + " order by g.name")
                .param(clientId)
                .query(String.class)
                .list();
    }

    private ServiceAccountView find(String name) {
        return jdbc.sql(SELECT + " where name = ?")
                .param(name)
                .query(this::view)
                .optional()
                .orElseThrow(() -> new ApiException.NotFound(RESOURCE, name));
    }

    private boolean userExists(String name) {
        return jdbc.sql("select exists (select 1 from users where username = ?)")
                .param(name)
                .query(Boolean.class)
                .single();
    }

    private static final String SELECT = "select s.name, s.client_id, s.description, s.token_ttl_seconds, s.enabled,"
            + " s.created_at, s.created_by, s.secret_rotated_at, s.disabled_at,"
            + " array(select g.name from groups g join group_memberships m on m.group_id = g.id"
            + " where m.service_account_id = s.id order by g.name) as groups from service_accounts s";

    private ServiceAccountView view(ResultSet rs, int row) throws SQLException {
        return new ServiceAccountView(
                rs.getString("name"),
                rs.getString("client_id"),
                rs.getString("description"),
                List.of((String[]) rs.getArray("groups").getArray()),
                rs.getInt("token_ttl_seconds"),
                rs.getBoolean("enabled"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getString("created_by"),
                rs.getTimestamp("secret_rotated_at").toInstant(),
                rs.getTimestamp("disabled_at") == null
                        ? null
                        : rs.getTimestamp("disabled_at").toInstant());
    }

    static List<String> groups(List<String> groups, List<ApiException.Problem> problems) {
        if (groups == null) {
            return List.of();
        }
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (int i = 0; i < groups.size(); i++) {
            String group = groups.get(i);
            if (group == null || !GROUP.matcher(group).matches()) {
                problems.add(new ApiException.Problem(
                        "groups[" + i + "]", null, null, "must be 1-255 letters, digits or . _ : @ -"));
            } else {
                distinct.add(group);
            }
        }
        return List.copyOf(distinct);
    }
}
