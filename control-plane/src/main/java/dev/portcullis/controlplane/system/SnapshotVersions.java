package dev.portcullis.controlplane.system;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The version of the policy snapshot that proxies pull. Every change that proxies must see bumps it inside the
 * change's own transaction, so a snapshot version never advertises a change that was rolled back.
 */
@Component
public class SnapshotVersions {

    /** The PostgreSQL notification channel that announces a new snapshot version. */
    public static final String CHANNEL = "portcullis_snapshot";

    private final JdbcClient jdbc;

    SnapshotVersions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Advances the snapshot version; must run inside the transaction of the change. */
    @Transactional(propagation = Propagation.MANDATORY)
    public long bump() {
        long version = jdbc.sql("update snapshot_state set version = version + 1, changed_at = now() where id = 1"
                        + " returning version")
                .query(Long.class)
                .single();
        // Delivered on commit to every control-plane instance listening: wakes the proxies' long polls at once.
        jdbc.sql("select pg_notify(?, ?)")
                .params(CHANNEL, Long.toString(version))
                .query()
                .singleRow();
        return version;
    }

    /** The current snapshot version. */
    public long current() {
        return jdbc.sql("select version from snapshot_state where id = 1")
                .query(Long.class)
                .single();
    }
}
