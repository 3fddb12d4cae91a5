package dev.portcullis.controlplane.snapshot;

import dev.portcullis.controlplane.connections.ConnectionService;
import dev.portcullis.controlplane.identity.Revocations;
import dev.portcullis.controlplane.policies.PolicyService;
import dev.portcullis.controlplane.policies.PolicyView;
import dev.portcullis.controlplane.system.SnapshotVersions;
import java.time.Clock;
import java.time.Instant;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/** Assembles the policy snapshot proxies pull. */
@Service
public class SnapshotService {

    private final SnapshotVersions versions;

    private final ConnectionService connections;

    private final PolicyService policies;

    private final Revocations revocations;

    private final Clock clock;

    SnapshotService(
            SnapshotVersions versions,
            ConnectionService connections,
            PolicyService policies,
            Revocations revocations,
            Clock clock) {
        this.versions = versions;
        this.connections = connections;
        this.policies = policies;
        this.revocations = revocations;
        this.clock = clock;
    }

    /** The current version. */
    public long version() {
        return versions.current();
    }

    /**
     * The whole snapshot, read in one repeatable-read transaction so its content is exactly the content of its
     * version: a change committing meanwhile bumps the version and shows in the next snapshot.
     */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public Snapshot current() {
        return new Snapshot(
                versions.current(),
                Instant.now(clock),
                connections.list(),
                policies.list().stream().map(PolicyView::document).toList(),
                revocations.subjects());
    }
}
