package dev.portcullis.controlplane.policies;

import java.time.Instant;
import java.util.Map;

/**
 * One version of a policy: what changed it, who, when, and the document as submitted ({@code source}) and parsed.
 */
public record PolicyVersionView(
        int version,
        String change,
        String format,
        String source,
        Map<String, Object> document,
        Instant createdAt,
        String createdBy) {}
