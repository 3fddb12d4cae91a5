package dev.portcullis.controlplane.snapshot;

import dev.portcullis.controlplane.connections.ConnectionView;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a proxy enforces: every connection (never a credential), every live policy as its canonical document, and the
 * revoked subjects, all as of one snapshot {@code version}.
 */
public record Snapshot(
        long version,
        Instant generatedAt,
        List<ConnectionView> connections,
        List<Map<String, Object>> policies,
        List<String> revokedSubjects) {}
