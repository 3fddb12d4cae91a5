package dev.portcullis.controlplane.proxies;

import dev.portcullis.controlplane.system.ApiException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The fleet of proxy nodes, as they report themselves. */
@Service
public class ProxyNodes {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,254}");

    private final JdbcClient jdbc;

    private final Clock clock;

    ProxyNodes(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Records a heartbeat; the node appears in the fleet on its first one. */
    @Transactional
    public void heartbeat(Heartbeat heartbeat) {
        if (heartbeat.id() == null || !ID.matcher(heartbeat.id()).matches()) {
            throw new ApiException.Invalid("id", "must be 1-255 letters, digits or . _ : @ -");
        }
        jdbc.sql("insert into proxy_nodes (id, version, address, snapshot_version, started_at, last_heartbeat_at)"
                        + " values (?, ?, ?, ?, ?, ?) on conflict (id) do update set version = excluded.version,"
                        + " address = excluded.address, snapshot_version = excluded.snapshot_version,"
                        + " started_at = excluded.started_at, last_heartbeat_at = excluded.last_heartbeat_at")
                .params(
                        heartbeat.id(),
                        truncate(heartbeat.version(), 64),
                        truncate(heartbeat.address(), 255),
                        heartbeat.snapshotVersion(),
                        heartbeat.startedAt() == null ? null : Timestamp.from(heartbeat.startedAt()),
                        Timestamp.from(Instant.now(clock)))
                .update();
    }

    /** Every node that ever reported, most recent first. */
    @Transactional(readOnly = true)
    public List<ProxyNodeView> list() {
        return jdbc.sql("select id, version, address, snapshot_version, started_at, last_heartbeat_at from proxy_nodes"
                        + " order by last_heartbeat_at desc")
                .query((rs, i) -> new ProxyNodeView(
                        rs.getString("id"),
                        rs.getString("version"),
                        rs.getString("address"),
                        (Long) rs.getObject("snapshot_version"),
                        rs.getTimestamp("started_at") == null
                                ? null
                                : rs.getTimestamp("started_at").toInstant(),
                        rs.getTimestamp("last_heartbeat_at").toInstant()))
                .list();
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
