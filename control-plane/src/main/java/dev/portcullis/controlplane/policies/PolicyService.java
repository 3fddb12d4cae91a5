package dev.portcullis.controlplane.policies;

import dev.portcullis.controlplane.audit.AuditLog;
import dev.portcullis.controlplane.system.ApiException;
import dev.portcullis.controlplane.system.SnapshotVersions;
import dev.portcullis.policy.Policy;
import dev.portcullis.policy.PolicyDocuments;
import dev.portcullis.policy.PolicyParser;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stores policies as versioned documents. Every document is parsed and validated by the policy engine before it is
 * stored; every change writes a new version and keeps the old ones, including a deletion.
 */
@Service
public class PolicyService {

    static final String RESOURCE = "policy";

    /** The formats a policy is accepted in; both hold the same document. */
    public enum Format {
        YAML,
        JSON
    }

    private final PolicyRepository repository;

    private final JdbcClient jdbc;

    private final AuditLog auditLog;

    private final SnapshotVersions snapshotVersions;

    private final JsonMapper json;

    private final Clock clock;

    PolicyService(
            PolicyRepository repository,
            JdbcClient jdbc,
            AuditLog auditLog,
            SnapshotVersions snapshotVersions,
            JsonMapper json,
            Clock clock) {
        this.repository = repository;
        this.jdbc = jdbc;
        this.auditLog = auditLog;
        this.snapshotVersions = snapshotVersions;
        this.json = json;
        this.clock = clock;
    }

    /** The live policies, in evaluation order (priority, then name). */
    @Transactional(readOnly = true)
    public List<PolicyView> list() {
        return repository.findAllByDeletedAtIsNullOrderByPriorityAscNameAsc().stream()
                .map(this::toView)
                .toList();
    }

    /** One live policy. */
    @Transactional(readOnly = true)
    public PolicyView get(String name) {
        return toView(find(name));
    }

    /** One live policy as the engine's model. */
    @Transactional(readOnly = true)
    public Policy model(String name) {
        return PolicyParser.parse(find(name).getDocumentJson());
    }

    /** Every version of a live policy, newest first. */
    @Transactional(readOnly = true)
    public List<PolicyVersionView> versions(String name) {
        PolicyEntity entity = find(name);
        return jdbc.sql("select version, change, format, source, document_json::text as document, created_at,"
                        + " created_by from policy_versions where policy_id = ? order by version desc")
                .param(entity.getId())
                .query((rs, i) -> new PolicyVersionView(
                        rs.getInt("version"),
                        rs.getString("change"),
                        rs.getString("format"),
                        rs.getString("source"),
                        readMap(rs.getString("document")),
                        rs.getTimestamp("created_at").toInstant(),
                        rs.getString("created_by")))
                .list();
    }

    /** Parses, validates and stores a new policy; a taken name is {@link ApiException.Conflict}. */
    @Transactional
    public PolicyView create(String source, Format format) {
        Policy policy = PolicyParser.parse(source);
        if (repository.findByNameAndDeletedAtIsNull(policy.name()).isPresent()) {
            throw new ApiException.Conflict("policy '" + policy.name() + "' already exists");
        }
        Instant now = Instant.now(clock);
        PolicyEntity entity = new PolicyEntity(UUID.randomUUID(), policy.name(), now, AuditLog.currentActor());
        String document = canonicalJson(policy);
        entity.newVersion(policy.priority(), document, now, AuditLog.currentActor());
        repository.saveAndFlush(entity);
        writeVersion(entity, "CREATE", format, source, document, now);
        PolicyView view = toView(entity);
        auditLog.record("policy.create", RESOURCE, policy.name(), null, view);
        snapshotVersions.bump();
        return view;
    }

    /** Replaces a policy with a new version; the document's name must be the name in the path. */
    @Transactional
    public PolicyView update(String name, String source, Format format) {
        PolicyEntity entity = find(name);
        Policy policy = PolicyParser.parse(source);
        if (!policy.name().equals(name)) {
            throw new ApiException.Invalid(
                    "name",
                    "a policy cannot be renamed ('" + policy.name() + "' in the document, '" + name + "' in the path)");
        }
        PolicyView before = toView(entity);
        Instant now = Instant.now(clock);
        String document = canonicalJson(policy);
        entity.newVersion(policy.priority(), document, now, AuditLog.currentActor());
        repository.saveAndFlush(entity);
        writeVersion(entity, "UPDATE", format, source, document, now);
        PolicyView after = toView(entity);
        auditLog.record("policy.update", RESOURCE, name, before, after);
        snapshotVersions.bump();
        return after;
    }

    /** Deletes a policy; its versions stay on record, the last one marked {@code DELETE}. */
    @Transactional
    public void delete(String name) {
        PolicyEntity entity = find(name);
        PolicyView before = toView(entity);
        Instant now = Instant.now(clock);
        entity.newVersion(entity.getPriority(), entity.getDocumentJson(), now, AuditLog.currentActor());
        entity.markDeleted(now, AuditLog.currentActor());
        repository.saveAndFlush(entity);
        writeVersion(entity, "DELETE", Format.JSON, entity.getDocumentJson(), entity.getDocumentJson(), now);
        auditLog.record("policy.delete", RESOURCE, name, before, null);
        snapshotVersions.bump();
    }

    /** Renders a live policy as YAML, for people who edit it as text. */
    @Transactional(readOnly = true)
    public String yaml(String name) {
        return PolicyDocuments.toYaml(model(name));
    }

    private PolicyEntity find(String name) {
        return repository
                .findByNameAndDeletedAtIsNull(name)
                .orElseThrow(() -> new ApiException.NotFound(RESOURCE, name));
    }

    private void writeVersion(
            PolicyEntity entity, String change, Format format, String source, String document, Instant at) {
        jdbc.sql("insert into policy_versions (policy_id, version, change, format, source, document_json, created_at,"
                        + " created_by) values (?, ?, ?, ?, ?, ?::jsonb, ?, ?)")
                .params(
                        entity.getId(),
                        entity.getCurrentVersion(),
                        change,
                        format.name(),
                        source,
                        document,
                        Timestamp.from(at),
                        AuditLog.currentActor())
                .update();
    }

    private String canonicalJson(Policy policy) {
        return json.writeValueAsString(PolicyDocuments.toMap(policy));
    }

    private PolicyView toView(PolicyEntity e) {
        return new PolicyView(
                e.getName(),
                e.getCurrentVersion(),
                e.getPriority(),
                readMap(e.getDocumentJson()),
                e.getCreatedAt(),
                e.getCreatedBy(),
                e.getUpdatedAt(),
                e.getUpdatedBy());
    }

    private Map<String, Object> readMap(String document) {
        return json.readValue(document, new TypeReference<Map<String, Object>>() {});
    }
}
