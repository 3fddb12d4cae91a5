package dev.portcullis.controlplane.identity;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Groups are created on first use: they are names the identity provider hands out, not managed objects. */
final class Groups {

    private Groups() {}

    static UUID ensure(JdbcClient jdbc, String name, Instant now) {
        jdbc.sql("insert into groups (id, name, created_at) values (?, ?, ?) on conflict (name) do nothing")
                .params(UUID.randomUUID(), name, Timestamp.from(now))
                .update();
        return jdbc.sql("select id from groups where name = ?")
                .param(name)
                .query(UUID.class)
                .single();
    }
}
