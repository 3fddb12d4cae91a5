package dev.portcullis.controlplane.identity;

import java.time.Instant;
import java.util.List;

/** A local user as the API shows it: never the password or its hash. */
public record UserView(
        String username,
        String displayName,
        String email,
        List<String> groups,
        boolean enabled,
        Instant createdAt,
        String createdBy,
        Instant disabledAt) {}
