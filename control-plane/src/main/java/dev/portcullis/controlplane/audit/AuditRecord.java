package dev.portcullis.controlplane.audit;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * One row of the admin audit log as the API shows it.
 *
 * @param action what happened, named {@code resource.verb} ({@code connection.create}, {@code policy.update})
 * @param before the resource before the change, without secrets (null for a creation)
 * @param after the resource after the change, without secrets (null for a deletion)
 */
public record AuditRecord(
        long id,
        Instant occurredAt,
        String actor,
        String action,
        String resourceType,
        String resourceName,
        JsonNode before,
        JsonNode after,
        String detail,
        String remoteAddr) {}
