package dev.portcullis.controlplane.identity;

import dev.portcullis.controlplane.audit.AuditLog;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Local users and their groups: the people who sign in to the built-in issuer and the API. */
@Service
public class UserAccounts {

    /** What sign-in needs to know of a user. */
    public record Login(String username, String passwordHash, boolean enabled, List<String> groups) {

        @Override
        public String toString() {
            return "Login[username=" + username + ", enabled=" + enabled + ", groups=" + groups + "]";
        }
    }

    private final JdbcClient jdbc;

    private final PasswordEncoder passwordEncoder;

    private final AuditLog auditLog;

    private final Clock clock;

    UserAccounts(JdbcClient jdbc, PasswordEncoder passwordEncoder, AuditLog auditLog, Clock clock) {
        this.jdbc = jdbc;
        this.passwordEncoder = passwordEncoder;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    /** The user of that name with its groups, for sign-in. */
    @Transactional(readOnly = true)
    public Optional<Login> findLogin(String username) {
        return jdbc.sql("select id, username, password_hash, enabled from users where username = ?")
                .param(username)
                .query((rs, i) -> Map.entry(
                        (UUID) rs.getObject("id"),
                        new Login(
                                rs.getString("username"),
                                rs.getString("password_hash"),
                                rs.getBoolean("enabled"),
                                List.of())))
                .optional()
                .map(entry -> new Login(
                        entry.getValue().username(),
                        entry.getValue().passwordHash(),
                        entry.getValue().enabled(),
                        groupsOf(entry.getKey())));
    }

    /** Whether any user exists yet. */
    @Transactional(readOnly = true)
    public boolean anyUser() {
        return jdbc.sql("select exists (select 1 from users)")
                .query(Boolean.class)
                .single();
    }

    /** Creates a user with a password (hashed here) in the given groups, creating missing groups. */
    @Transactional
    public void createUser(String username, String rawPassword, List<String> groups) {
        Instant now = Instant.now(clock);
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into users (id, username, password_hash, enabled, created_at, updated_at)"
                        + " values (?, ?, ?, true, ?, ?)")
                .params(id, username, passwordEncoder.encode(rawPassword), Timestamp.from(now), Timestamp.from(now))
                .update();
        for (String group : groups) {
            UUID groupId = ensureGroup(group, now);
            jdbc.sql("insert into group_memberships (group_id, user_id, created_at) values (?, ?, ?)")
                    .params(groupId, id, Timestamp.from(now))
                    .update();
        }
        auditLog.record("user.create", "user", username, null, Map.of("username", username, "groups", groups));
    }

    private UUID ensureGroup(String name, Instant now) {
        jdbc.sql("insert into groups (id, name, created_at) values (?, ?, ?) on conflict (name) do nothing")
                .params(UUID.randomUUID(), name, Timestamp.from(now))
                .update();
        return jdbc.sql("select id from groups where name = ?")
                .param(name)
                .query(UUID.class)
                .single();
    }

    private List<String> groupsOf(UUID userId) {
        return jdbc.sql("select g.name from groups g join group_memberships m on m.group_id = g.id"
                        + " where m.user_id = ? order by g.name")
                .param(userId)
                .query(String.class)
                .list();
    }
}
