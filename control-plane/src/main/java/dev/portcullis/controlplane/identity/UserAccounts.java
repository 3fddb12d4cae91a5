package dev.portcullis.controlplane.identity;

import dev.portcullis.controlplane.audit.AuditLog;
import dev.portcullis.controlplane.system.ApiException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Local users and their groups: the people who sign in to the built-in issuer. Passwords are stored hashed. */
@Service
public class UserAccounts {

    static final String RESOURCE = "user";

    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,62}");

    /** What sign-in needs to know of a user. */
    public record Login(String username, String passwordHash, boolean enabled, List<String> groups) {

        @Override
        public String toString() {
            return "Login[username=" + username + ", enabled=" + enabled + ", groups=" + groups + "]";
        }
    }

    private final JdbcClient jdbc;

    private final PasswordEncoder passwordEncoder;

    private final Revocations revocations;

    private final AuditLog auditLog;

    private final Clock clock;

    UserAccounts(
            JdbcClient jdbc, PasswordEncoder passwordEncoder, Revocations revocations, AuditLog auditLog, Clock clock) {
        this.jdbc = jdbc;
        this.passwordEncoder = passwordEncoder;
        this.revocations = revocations;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    /** The user of that name with its groups, for sign-in. */
    @Transactional(readOnly = true)
    public Optional<Login> findLogin(String username) {
        return jdbc.sql("select username, password_hash, enabled from users where username = ?")
                .param(username)
                .query((rs, i) -> new Login(
                        rs.getString("username"), rs.getString("password_hash"), rs.getBoolean("enabled"), List.of()))
                .optional()
                .map(login -> new Login(login.username(), login.passwordHash(), login.enabled(), groupsOf(username)));
    }

    /** The groups of a user. */
    @Transactional(readOnly = true)
    public List<String> groupsOf(String username) {
        return jdbc.sql("select g.name from groups g join group_memberships m on m.group_id = g.id"
                        + " join users u on u.id = m.user_id where u.username = ? order by g.name")
                .param(username)
                .query(String.class)
                .list();
    }

    /** Whether any user exists yet. */
    @Transactional(readOnly = true)
    public boolean anyUser() {
        return jdbc.sql("select exists (select 1 from users)")
                .query(Boolean.class)
                .single();
    }

    @Transactional(readOnly = true)
    public boolean exists(String username) {
        return jdbc.sql("select exists (select 1 from users where username = ?)")
                .param(username)
                .query(Boolean.class)
                .single();
    }

    @Transactional(readOnly = true)
    public List<UserView> list() {
        return jdbc.sql(SELECT + " order by username").query(UserAccounts::view).list();
    }

    @Transactional(readOnly = true)
    public UserView get(String username) {
        return find(username);
    }

    /** Creates a user with a password (hashed here) in the given groups. */
    @Transactional
    public void createUser(String username, String rawPassword, List<String> groups) {
        create(new UserRequest(username, rawPassword, null, null, groups), AuditLog.SYSTEM_ACTOR);
    }

    /** Creates a user; without a password, one is generated and returned this once. */
    @Transactional
    public CreatedUser create(UserRequest request, String actor) {
        List<ApiException.Problem> problems = new ArrayList<>();
        if (request.username() == null || !USERNAME.matcher(request.username()).matches()) {
            problems.add(new ApiException.Problem(
                    "username",
                    null,
                    null,
                    "must be 1-63 lower-case letters, digits or . _ @ -, starting with a letter or digit"));
        }
        if (request.password() != null && request.password().length() < 12) {
            problems.add(new ApiException.Problem("password", null, null, "must be at least 12 characters"));
        }
        List<String> groups = ServiceAccounts.groups(request.groups(), problems);
        if (!problems.isEmpty()) {
            throw new ApiException.Invalid(
                    problems.get(0).path() + ": " + problems.get(0).message(), problems);
        }
        String username = request.username();
        if (exists(username) || serviceAccountExists(username)) {
            throw new ApiException.Conflict("a user or service account named '" + username + "' already exists");
        }
        String generated = request.password() == null ? Secrets.generate() : null;
        String password = generated != null ? generated : request.password();
        Instant now = Instant.now(clock);
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into users (id, username, display_name, email, password_hash, enabled, created_at,"
                        + " updated_at, created_by) values (?, ?, ?, ?, ?, true, ?, ?, ?)")
                .params(
                        id,
                        username,
                        request.displayName(),
                        request.email(),
                        passwordEncoder.encode(password),
                        Timestamp.from(now),
                        Timestamp.from(now),
                        actor)
                .update();
        for (String group : groups) {
            UUID groupId = Groups.ensure(jdbc, group, now);
            jdbc.sql("insert into group_memberships (group_id, user_id, created_at) values (?, ?, ?)")
                    .params(groupId, id, Timestamp.from(now))
                    .update();
        }
        UserView view = find(username);
        auditLog.record("user.create", RESOURCE, username, null, view);
        return new CreatedUser(view, generated);
    }

    /** Disables a user: sign-in stops and the subject is revoked on the API and every proxy. */
    @Transactional
    public UserView disable(String username, String actor) {
        UserView before = find(username);
        Instant now = Instant.now(clock);
        jdbc.sql("update users set enabled = false, disabled_at = ?, updated_at = ? where username = ?")
                .params(Timestamp.from(now), Timestamp.from(now), username)
                .update();
        revocations.revoke(username, "user disabled", actor);
        UserView after = find(username);
        auditLog.record("user.disable", RESOURCE, username, before, after);
        return after;
    }

    /** Enables a user again. */
    @Transactional
    public UserView enable(String username) {
        UserView before = find(username);
        jdbc.sql("update users set enabled = true, disabled_at = null, updated_at = ? where username = ?")
                .params(Timestamp.from(Instant.now(clock)), username)
                .update();
        revocations.restore(username);
        UserView after = find(username);
        auditLog.record("user.enable", RESOURCE, username, before, after);
        return after;
    }

    /** Sets a user's password (the demo set-up uses it to hand out known passwords). */
    @Transactional
    public void setPassword(String username, String rawPassword) {
        find(username);
        jdbc.sql("update users set password_hash = ?, updated_at = ? where username = ?")
                .params(passwordEncoder.encode(rawPassword), Timestamp.from(Instant.now(clock)), username)
                .update();
        auditLog.record("user.set-password", RESOURCE, username, null, null);
    }

    private UserView find(String username) {
        return jdbc.sql(SELECT + " where username = ?")
                .param(username)
                .query(UserAccounts::view)
                .optional()
                .orElseThrow(() -> new ApiException.NotFound(RESOURCE, username));
    }

    private boolean serviceAccountExists(String name) {
        return jdbc.sql("select exists (select 1 from service_accounts where name = ?)")
                .param(name)
                .query(Boolean.class)
                .single();
    }

    private static final String SELECT = "select u.username, u.display_name, u.email, u.enabled, u.created_at,"
            + " u.created_by, u.disabled_at, array(select g.name from groups g join group_memberships m"
            + " on m.group_id = g.id where m.user_id = u.id order by g.name) as groups from users u";

    private static UserView view(ResultSet rs, int row) throws SQLException {
        return new UserView(
                rs.getString("username"),
                rs.getString("display_name"),
                rs.getString("email"),
                List.of((String[]) rs.getArray("groups").getArray()),
                rs.getBoolean("enabled"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getString("created_by"),
                rs.getTimestamp("disabled_at") == null
                        ? null
                        : rs.getTimestamp("disabled_at").toInstant());
    }
}
