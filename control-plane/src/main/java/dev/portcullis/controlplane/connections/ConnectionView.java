package dev.portcullis.controlplane.connections;

import dev.portcullis.policy.connection.ConnectionType;
import java.time.Instant;
import java.util.List;

/**
 * A connection as the API shows it: never the credential, only its kind ({@code BEARER}, {@code PASSWORD}, …) so
 * that an admin can tell one is set.
 */
public record ConnectionView(
        String name,
        ConnectionType type,
        String target,
        String description,
        String credentialKind,
        List<String> allowedGroups,
        List<String> tags,
        Instant createdAt,
        String createdBy,
        Instant updatedAt,
        String updatedBy) {}
