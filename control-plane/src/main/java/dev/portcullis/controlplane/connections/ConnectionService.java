package dev.portcullis.controlplane.connections;

import dev.portcullis.controlplane.audit.AuditLog;
import dev.portcullis.controlplane.secrets.SecretBox;
import dev.portcullis.controlplane.system.ApiException;
import dev.portcullis.controlplane.system.SnapshotVersions;
import dev.portcullis.policy.connection.ConnectionTargets;
import dev.portcullis.policy.connection.ConnectionType;
import dev.portcullis.policy.connection.Credential;
import dev.portcullis.policy.connection.Credentials;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registers the targets Portcullis guards and keeps their credentials encrypted. The credential is sealed under the
 * master key, bound to the connection's id, before it reaches the database, and leaves only through
 * {@link #credentialOf(String)} for proxies.
 */
@Service
public class ConnectionService {

    static final String RESOURCE = "connection";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,254}");

    private final ConnectionRepository repository;

    private final SecretBox secretBox;

    private final AuditLog auditLog;

    private final SnapshotVersions snapshotVersions;

    private final JsonMapper json;

    private final Clock clock;

    ConnectionService(
            ConnectionRepository repository,
            SecretBox secretBox,
            AuditLog auditLog,
            SnapshotVersions snapshotVersions,
            JsonMapper json,
            Clock clock) {
        this.repository = repository;
        this.secretBox = secretBox;
        this.auditLog = auditLog;
        this.snapshotVersions = snapshotVersions;
        this.json = json;
        this.clock = clock;
    }

    /** Every connection, by name. */
    @Transactional(readOnly = true)
    public List<ConnectionView> list() {
        return repository.findAllByOrderByNameAsc().stream()
                .map(ConnectionService::toView)
                .toList();
    }

    /** One connection; unknown names are {@link ApiException.NotFound}. */
    @Transactional(readOnly = true)
    public ConnectionView get(String name) {
        return toView(find(name));
    }

    /** Whether a connection of that name exists. */
    @Transactional(readOnly = true)
    public boolean exists(String name) {
        return repository.existsByName(name);
    }

    /** Registers a new connection; a taken name is {@link ApiException.Conflict}. */
    @Transactional
    public ConnectionView create(ConnectionRequest request) {
        Validated valid = validate(request, null, true);
        if (repository.existsByName(valid.name())) {
            throw new ApiException.Conflict("connection '" + valid.name() + "' already exists");
        }
        Instant now = Instant.now(clock);
        ConnectionEntity entity = new ConnectionEntity(UUID.randomUUID(), valid.name(), now, AuditLog.currentActor());
        apply(entity, valid);
        repository.saveAndFlush(entity);
        ConnectionView view = toView(entity);
        auditLog.record("connection.create", RESOURCE, view.name(), null, view, credentialDetail(valid));
        snapshotVersions.bump();
        return view;
    }

    /**
     * Replaces a connection's settings. A request without {@code credential} keeps the stored one; the name in the
     * body, when given, must be the name in the path.
     */
    @Transactional
    public ConnectionView update(String name, ConnectionRequest request) {
        ConnectionEntity entity = find(name);
        if (request.name() != null && !request.name().equals(name)) {
            throw new ApiException.Invalid(
                    "name",
                    "a connection cannot be renamed ('" + request.name() + "' in the body, '" + name
                            + "' in the path)");
        }
        ConnectionView before = toView(entity);
        Validated valid = validate(request, entity, false);
        apply(entity, valid);
        entity.touch(Instant.now(clock), AuditLog.currentActor());
        repository.saveAndFlush(entity);
        ConnectionView after = toView(entity);
        auditLog.record("connection.update", RESOURCE, name, before, after, credentialDetail(valid));
        snapshotVersions.bump();
        return after;
    }

    /** Removes a connection and its credential. */
    @Transactional
    public void delete(String name) {
        ConnectionEntity entity = find(name);
        ConnectionView before = toView(entity);
        repository.delete(entity);
        repository.flush();
        auditLog.record("connection.delete", RESOURCE, name, before, null);
        snapshotVersions.bump();
    }

    /**
     * Decrypts a connection's credential, for the proxy that injects it. Never call this to show a credential to a
     * person.
     */
    @Transactional(readOnly = true)
    public Credential credentialOf(String name) {
        ConnectionEntity entity = find(name);
        if (entity.getCredentialCiphertext() == null) {
            throw new ApiException.NotFound("credential of connection", name);
        }
        byte[] plain = secretBox.open(entity.getCredentialCiphertext(), context(entity.getId()));
        try {
            Map<String, Object> map = json.readValue(plain, new TypeReference<Map<String, Object>>() {});
            return Credentials.fromMap(map);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private ConnectionEntity find(String name) {
        return repository.findByName(name).orElseThrow(() -> new ApiException.NotFound(RESOURCE, name));
    }

    private record Validated(
            String name,
            ConnectionType type,
            String target,
            String description,
            Credential credential,
            List<String> allowedGroups,
            List<String> tags) {

        @Override
        public String toString() {
            return "Validated[name=" + name + ", type=" + type + "]";
        }
    }

    private Validated validate(ConnectionRequest request, ConnectionEntity existing, boolean creating) {
        List<ApiException.Problem> problems = new ArrayList<>();
        String name = existing != null ? existing.getName() : request.name();
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add(problem(
                    "name", "must be 1-63 lower-case letters, digits or '-', starting with a letter or" + " digit"));
        }
        ConnectionType type = null;
        if (request.type() == null) {
            problems.add(problem("type", "is required (HTTP, KUBERNETES or POSTGRES)"));
        } else {
            try {
                type = ConnectionType.valueOf(request.type().strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(problem(
                        "type", "unknown type '" + request.type() + "' (expected HTTP, KUBERNETES or" + " POSTGRES)"));
            }
        }
        String target = null;
        if (request.target() == null || request.target().isBlank()) {
            problems.add(problem("target", "is required"));
        } else if (type != null) {
            try {
                target = ConnectionTargets.validate(type, request.target().strip());
            } catch (IllegalArgumentException e) {
                problems.add(problem("target", e.getMessage()));
            }
        }
        if (request.description() != null && request.description().length() > 1024) {
            problems.add(problem("description", "must be at most 1024 characters"));
        }
        Credential credential = null;
        if (request.credential() != null) {
            try {
                credential = Credentials.fromMap(request.credential());
                if (type != null && !credential.fitsType(type)) {
                    problems.add(problem(
                            "credential.kind",
                            "a " + credential.kind() + " credential does not fit a " + type + " connection"));
                }
            } catch (IllegalArgumentException e) {
                // Credentials.fromMap names the field, never the value.
                problems.add(problem("credential", e.getMessage()));
            }
        } else if (!creating && type != null && existing.getCredentialKind() != null) {
            String kept = existing.getCredentialKind();
            boolean fits = type == ConnectionType.POSTGRES ? kept.equals("PASSWORD") : !kept.equals("PASSWORD");
            if (!fits) {
                problems.add(problem(
                        "credential",
                        "the stored " + kept + " credential does not fit a " + type
                                + " connection; send a new credential"));
            }
        }
        List<String> groups = labels("allowedGroups", request.allowedGroups(), problems);
        List<String> tags = labels("tags", request.tags(), problems);
        if (!problems.isEmpty()) {
            String summary = problems.size() == 1
                    ? problems.get(0).path() + ": " + problems.get(0).message()
                    : problems.size() + " problems in the connection";
            throw new ApiException.Invalid(summary, problems);
        }
        return new Validated(name, type, target, request.description(), credential, groups, tags);
    }

    private static List<String> labels(String field, List<String> values, List<ApiException.Problem> problems) {
        if (values == null) {
            return List.of();
        }
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            if (value == null || !LABEL.matcher(value).matches()) {
                problems.add(problem(field + "[" + i + "]", "must be 1-255 letters, digits or . _ : @ -"));
            } else {
                distinct.add(value);
            }
        }
        return List.copyOf(distinct);
    }

    private static ApiException.Problem problem(String path, String message) {
        return new ApiException.Problem(path, null, null, message);
    }

    private void apply(ConnectionEntity entity, Validated valid) {
        entity.setType(valid.type().name());
        entity.setTarget(valid.target());
        entity.setDescription(valid.description());
        entity.setAllowedGroups(valid.allowedGroups().toArray(String[]::new));
        entity.setTags(valid.tags().toArray(String[]::new));
        if (valid.credential() != null) {
            byte[] plain = json.writeValueAsBytes(Credentials.toMap(valid.credential()));
            try {
                entity.setCredential(
                        valid.credential().kind(), secretBox.seal(plain, context(entity.getId())), secretBox.keyId());
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    private static String credentialDetail(Validated valid) {
        return valid.credential() == null
                ? null
                : "credential set (" + valid.credential().kind() + ")";
    }

    /** Binds a ciphertext to its row: copied onto another connection it no longer decrypts. */
    private static String context(UUID id) {
        return "connection:" + id;
    }

    static ConnectionView toView(ConnectionEntity e) {
        return new ConnectionView(
                e.getName(),
                ConnectionType.valueOf(e.getType()),
                e.getTarget(),
                e.getDescription(),
                e.getCredentialKind(),
                List.of(e.getAllowedGroups()),
                List.of(e.getTags()),
                e.getCreatedAt(),
                e.getCreatedBy(),
                e.getUpdatedAt(),
                e.getUpdatedBy());
    }
}
