package dev.portcullis.controlplane.policies;

import java.time.Instant;
import java.util.Map;

/**
 * A policy as the API shows it: its current version and the parsed document in canonical form (the same keys as the
 * YAML a person writes).
 */
public record PolicyView(
        String name,
        int version,
        int priority,
        Map<String, Object> document,
        Instant createdAt,
        String createdBy,
        Instant updatedAt,
        String updatedBy) {}
