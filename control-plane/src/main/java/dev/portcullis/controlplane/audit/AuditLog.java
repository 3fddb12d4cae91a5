package dev.portcullis.controlplane.audit;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin audit log: who changed what, when, with the before and after images (never a secret). Rows are written
 * in the transaction of the change they describe, so the log never claims a change that did not happen.
 */
@Service
public class AuditLog {

    /** Who acts when nobody is signed in: start-up tasks such as the demo set-up. */
    public static final String SYSTEM_ACTOR = "system";

    private final AuditLogRepository repository;

    private final JsonMapper json;

    private final Clock clock;

    AuditLog(AuditLogRepository repository, JsonMapper json, Clock clock) {
        this.repository = repository;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Records a change made by the current caller. {@code before} and {@code after} are any JSON-serializable views
     * of the resource; callers pass views that hold no secret.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(String action, String resourceType, String resourceName, Object before, Object after) {
        record(action, resourceType, resourceName, before, after, null);
    }

    /** As {@link #record(String, String, String, Object, Object)}, with a free-text detail. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(
            String action, String resourceType, String resourceName, Object before, Object after, String detail) {
        repository.save(new AuditLogEntry(
                Instant.now(clock),
                currentActor(),
                action,
                resourceType,
                resourceName,
                before == null ? null : json.writeValueAsString(before),
                after == null ? null : json.writeValueAsString(after),
                detail,
                remoteAddress()));
    }

    /** Reads the log, newest first, optionally narrowed to one resource type, resource name or actor. */
    @Transactional(readOnly = true)
    public Page<AuditRecord> search(String resourceType, String resourceName, String actor, int page, int size) {
        List<Specification<AuditLogEntry>> filters = new ArrayList<>();
        if (resourceType != null && !resourceType.isBlank()) {
            filters.add((root, query, cb) -> cb.equal(root.get("resourceType"), resourceType));
        }
        if (resourceName != null && !resourceName.isBlank()) {
            filters.add((root, query, cb) -> cb.equal(root.get("resourceName"), resourceName));
        }
        if (actor != null && !actor.isBlank()) {
            filters.add((root, query, cb) -> cb.equal(root.get("actor"), actor));
        }
        Specification<AuditLogEntry> spec = Specification.allOf(filters);
        PageRequest pageable =
                PageRequest.of(page, size, Sort.by(Sort.Order.desc("occurredAt"), Sort.Order.desc("id")));
        return repository.findAll(spec, pageable).map(this::toRecord);
    }

    private AuditRecord toRecord(AuditLogEntry e) {
        return new AuditRecord(
                e.getId(),
                e.getOccurredAt(),
                e.getActor(),
                e.getAction(),
                e.getResourceType(),
                e.getResourceName(),
                readJson(e.getBeforeState()),
                readJson(e.getAfterState()),
                e.getDetail(),
                e.getRemoteAddr());
    }

    private JsonNode readJson(String value) {
        return value == null ? null : json.readTree(value);
    }

    /** Who is acting: the authenticated caller's name, or {@value #SYSTEM_ACTOR} for start-up tasks. */
    public static String currentActor() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated() || authentication.getName() == null) {
            return SYSTEM_ACTOR;
        }
        return authentication.getName();
    }

    private static String remoteAddress() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            HttpServletRequest request = attributes.getRequest();
            return request.getRemoteAddr();
        }
        return null;
    }
}
