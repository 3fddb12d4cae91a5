package dev.portcullis.controlplane.identity;

import java.time.Instant;
import java.util.List;

/** A service account as the API shows it; its secret is shown once, in {@link ServiceAccountSecret}, never here. */
public record ServiceAccountView(
        String name,
        String clientId,
        String description,
        List<String> groups,
        long tokenTtlSeconds,
        boolean enabled,
        Instant createdAt,
        String createdBy,
        Instant secretRotatedAt,
        Instant disabledAt) {}
