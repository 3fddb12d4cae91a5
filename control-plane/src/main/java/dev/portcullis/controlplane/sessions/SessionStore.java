package dev.portcullis.controlplane.sessions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Repository;

/** The SQL of sessions and their events; every method runs in its caller's transaction. */
@Repository
class SessionStore {

    /** Rows per page when events are streamed. */
    private static final int FETCH_SIZE = 500;

    private static final String VIEW_COLUMNS =
            "id, subject, subject_groups, client_id, connection_name, connection_type,"
                    + " proxy_node, started_at, ended_at, end_reason, allowed_count, blocked_count, reviewed_count,"
                    + " masked_count, event_count, chain_valid, first_bad_seq, legal_hold";

    private static final Logger log = LoggerFactory.getLogger(SessionStore.class);

    private final JdbcTemplate jdbc;

    SessionStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Where a session's chain stands, as ingest continues it. */
    record ChainState(UUID id, OffsetDateTime startedAt, long lastSeq, String lastHash, boolean chainValid) {}

    /** A session row to create from its start event, or as a placeholder for events that came without one. */
    record NewSession(
            UUID id,
            String subject,
            List<String> groups,
            String clientId,
            String connection,
            String type,
            String proxyNode,
            OffsetDateTime startedAt) {}

    /** An event to store, with the columns derived from its payload. */
    record EventRow(
            UUID session,
            long seq,
            OffsetDateTime sessionStartedAt,
            OffsetDateTime eventTime,
            String type,
            String verdict,
            String commandText,
            byte[] payloadUtf8,
            String prevHash,
            String hash) {}

    /** What one batch adds to a session row. */
    record SessionDelta(
            UUID id,
            int events,
            long lastSeq,
            String lastHash,
            int allowed,
            int blocked,
            int reviewed,
            long masked,
            OffsetDateTime endedAt,
            String endReason,
            Long firstBadSeq) {}

    /** Locks the sessions that exist among {@code ids}, in one order for every caller, and reads their chain state. */
    Map<UUID, ChainState> lockChains(List<UUID> ids) {
        Map<UUID, ChainState> states = new HashMap<>();
        if (ids.isEmpty()) {
            return states;
        }
        jdbc.query(
                "select id, started_at, last_seq, last_hash, chain_valid from sessions where id = any(?)"
                        + " order by id for update",
                ps -> ps.setArray(1, uuidArray(ps, ids)),
                (RowCallbackHandler) rs -> {
                    UUID id = rs.getObject(1, UUID.class);
                    states.put(
                            id,
                            new ChainState(
                                    id,
                                    rs.getObject(2, OffsetDateTime.class),
                                    rs.getLong(3),
                                    rs.getString(4),
                                    rs.getBoolean(5)));
                });
        return states;
    }

    /** Creates session rows; a row another instance created meanwhile is kept as it is. */
    void insertSessions(List<NewSession> sessions) {
        if (sessions.isEmpty()) {
            return;
        }
        jdbc.batchUpdate(
                "insert into sessions (id, subject, subject_groups, client_id, connection_name, connection_type,"
                        + " proxy_node, started_at) values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing",
                new BatchPreparedStatementSetter() {
                    @Override
                    public void setValues(PreparedStatement ps, int i) throws SQLException {
                        NewSession s = sessions.get(i);
                        ps.setObject(1, s.id());
                        ps.setString(2, s.subject());
                        ps.setArray(
                                3,
                                ps.getConnection()
                                        .createArrayOf("text", s.groups().toArray()));
                        ps.setString(4, s.clientId());
                        ps.setString(5, s.connection());
                        ps.setString(6, s.type());
                        ps.setString(7, s.proxyNode());
                        ps.setObject(8, s.startedAt());
                    }

                    @Override
                    public int getBatchSize() {
                        return sessions.size();
                    }
                });
    }

    /** The hashes stored for some sequence numbers of a session, by sequence number. */
    Map<Long, String> storedHashes(UUID session, OffsetDateTime startedAt, List<Long> seqs) {
        Map<Long, String> hashes = new HashMap<>();
        jdbc.query(
                "select seq, hash from session_events where session_id = ? and session_started_at = ?"
                        + " and seq = any(?)",
                ps -> {
                    ps.setObject(1, session);
                    ps.setObject(2, startedAt);
                    ps.setArray(3, ps.getConnection().createArrayOf("bigint", seqs.toArray()));
                },
                (RowCallbackHandler) rs -> hashes.put(rs.getLong(1), rs.getString(2)));
        return hashes;
    }

    private static final String EVENT_INSERT_COLUMNS =
            "session_id, seq, session_started_at, event_time, type, verdict, command_text, payload, prev_hash, hash";

    /**
     * Stores events with one {@code COPY}, several times faster than inserts. COPY has no {@code on conflict}: callers
     * store only sequence numbers the sessions' locks show are not stored yet. Should a row exist anyway (only a
     * database edited by hand can do that), the COPY is rolled back to a savepoint and the events inserted skipping
     * such rows, rather than failing the batch on every retry.
     */
    void storeEvents(List<EventRow> events) {
        if (events.isEmpty()) {
            return;
        }
        boolean copied = Boolean.TRUE.equals(jdbc.execute((ConnectionCallback<Boolean>) connection -> {
            Savepoint savepoint = connection.setSavepoint();
            try {
                copyEvents(connection, events);
                connection.releaseSavepoint(savepoint);
                return true;
            } catch (SQLException e) {
                if (!"23505".equals(e.getSQLState())) {
                    throw e;
                }
                connection.rollback(savepoint);
                return false;
            }
        }));
        if (!copied) {
            log.warn("Events already stored past a session's last sequence number; inserting the others");
            insertEvents(events);
        }
    }

    private static void copyEvents(Connection connection, List<EventRow> events) throws SQLException {
        CopyBinary data = new CopyBinary(events.size() * 700);
        for (EventRow e : events) {
            data.row(10)
                    .uuid(e.session())
                    .int8(e.seq())
                    .timestamptz(e.sessionStartedAt())
                    .timestamptz(e.eventTime())
                    .text(e.type())
                    .text(e.verdict())
                    .text(e.commandText())
                    .utf8(e.payloadUtf8())
                    .text(e.prevHash())
                    .text(e.hash());
        }
        try {
            connection
                    .unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn(
                            "copy session_events (" + EVENT_INSERT_COLUMNS + ") from stdin with (format binary)",
                            data.stream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stores events in one batch (rewritten by the driver into multi-row inserts), skipping any already stored. */
    void insertEvents(List<EventRow> events) {
        if (events.isEmpty()) {
            return;
        }
        jdbc.batchUpdate(
                "insert into session_events (" + EVENT_INSERT_COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?::json, ?, ?)"
                        + " on conflict do nothing",
                new BatchPreparedStatementSetter() {
                    @Override
                    public void setValues(PreparedStatement ps, int i) throws SQLException {
                        EventRow e = events.get(i);
                        ps.setObject(1, e.session());
                        ps.setLong(2, e.seq());
                        ps.setObject(3, e.sessionStartedAt());
                        ps.setObject(4, e.eventTime());
                        ps.setString(5, e.type());
                        ps.setString(6, e.verdict());
                        ps.setString(7, e.commandText());
                        ps.setString(8, new String(e.payloadUtf8(), StandardCharsets.UTF_8));
                        ps.setString(9, e.prevHash());
                        ps.setString(10, e.hash());
                    }

                    @Override
                    public int getBatchSize() {
                        return events.size();
                    }
                });
    }

    /** Adds each batch's events to its session: counts, chain end, end, and the first fault (kept once set). */
    void applyDeltas(List<SessionDelta> deltas) {
        if (deltas.isEmpty()) {
            return;
        }
        jdbc.batchUpdate(
                "update sessions set event_count = event_count + ?, last_seq = greatest(last_seq, ?),"
                        + " last_hash = case when ? > last_seq then ? else last_hash end,"
                        + " allowed_count = allowed_count + ?, blocked_count = blocked_count + ?,"
                        + " reviewed_count = reviewed_count + ?,"
                        + " masked_count = least(masked_count::bigint + ?, 2147483647)::int,"
                        + " ended_at = coalesce(?, ended_at), end_reason = coalesce(?, end_reason),"
                        + " chain_valid = chain_valid and ?::bigint is null,"
                        + " first_bad_seq = coalesce(first_bad_seq, ?) where id = ?",
                new BatchPreparedStatementSetter() {
                    @Override
                    public void setValues(PreparedStatement ps, int i) throws SQLException {
                        SessionDelta d = deltas.get(i);
                        ps.setInt(1, d.events());
                        ps.setLong(2, d.lastSeq());
                        ps.setLong(3, d.lastSeq());
                        ps.setString(4, d.lastHash());
                        ps.setInt(5, d.allowed());
                        ps.setInt(6, d.blocked());
                        ps.setInt(7, d.reviewed());
                        ps.setLong(8, d.masked());
                        if (d.endedAt() == null) {
                            ps.setNull(9, Types.TIMESTAMP_WITH_TIMEZONE);
                        } else {
                            ps.setObject(9, d.endedAt());
                        }
                        ps.setString(10, d.endReason());
                        setLongOrNull(ps, 11, d.firstBadSeq());
                        setLongOrNull(ps, 12, d.firstBadSeq());
                        ps.setObject(13, d.id());
                    }

                    @Override
                    public int getBatchSize() {
                        return deltas.size();
                    }
                });
    }

    /** Creates the event partition of a UTC day unless it exists. */
    void ensurePartition(java.time.LocalDate day) {
        jdbc.queryForObject("select portcullis_ensure_event_partition(?)", String.class, day);
    }

    Optional<SessionView> find(UUID id) {
        return jdbc.query("select " + VIEW_COLUMNS + " from sessions where id = ?", this::view, id).stream()
                .findFirst();
    }

    /** A page of sessions matching a query, newest first, and how many match in all. */
    List<SessionView> search(SessionQuery query, int page, int size) {
        List<Object> params = new ArrayList<>();
        String where = where(query, params);
        params.add(size);
        params.add((long) page * size);
        return jdbc.query(
                "select " + VIEW_COLUMNS + " from sessions s" + where
                        + " order by started_at desc, id limit ? offset ?",
                this::view,
                params.toArray());
    }

    long count(SessionQuery query) {
        List<Object> params = new ArrayList<>();
        String where = where(query, params);
        Long count = jdbc.queryForObject("select count(*) from sessions s" + where, Long.class, params.toArray());
        return count == null ? 0 : count;
    }

    private static String where(SessionQuery query, List<Object> params) {
        List<String> conditions = new ArrayList<>();
        if (query.subject() != null) {
            conditions.add("s.subject = ?");
            params.add(query.subject());
        }
        if (query.connection() != null) {
            conditions.add("s.connection_name = ?");
            params.add(query.connection());
        }
        if (query.verdict() != null) {
            // The counts are kept at ingest from the same policy.decision events.
            conditions.add(
                    switch (query.verdict()) {
                        case "ALLOW" -> "s.allowed_count > 0";
                        case "BLOCK" -> "s.blocked_count > 0";
                        case "REVIEW" -> "s.reviewed_count > 0";
                        default -> throw new IllegalArgumentException("verdict " + query.verdict());
                    });
        }
        if (query.from() != null) {
            conditions.add("s.started_at >= ?");
            params.add(OffsetDateTime.ofInstant(query.from(), ZoneOffset.UTC));
        }
        if (query.to() != null) {
            conditions.add("s.started_at < ?");
            params.add(OffsetDateTime.ofInstant(query.to(), ZoneOffset.UTC));
        }
        if (query.words() != null) {
            // The words are split as command_tsv splits commands, so 'customers/42' finds 'GET /customers/42'.
            conditions.add("exists (select 1 from session_events e where e.session_id = s.id"
                    + " and e.session_started_at = s.started_at and e.command_tsv @@ plainto_tsquery('simple',"
                    + " regexp_replace(?, '[^[:alnum:]_]+', ' ', 'g')))");
            params.add(query.words());
        }
        return conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
    }

    /** An event as stored, with its time in microseconds exactly. */
    record StoredEvent(long seq, String type, long atMicros, String payloadJson, String prevHash, String hash) {}

    /** Where a session's events live and what its row says the last one was. */
    record ChainEnd(OffsetDateTime startedAt, long lastSeq, String lastHash) {}

    Optional<ChainEnd> chainEnd(UUID id) {
        return jdbc
                .query(
                        "select started_at, last_seq, last_hash from sessions where id = ?",
                        (rs, i) -> new ChainEnd(rs.getObject(1, OffsetDateTime.class), rs.getLong(2), rs.getString(3)),
                        id)
                .stream()
                .findFirst();
    }

    /** Up to {@code limit} events after {@code afterSeq}, in sequence order. */
    List<StoredEvent> events(UUID id, OffsetDateTime startedAt, long afterSeq, int limit) {
        return jdbc.query(
                "select " + EVENT_COLUMNS + " from session_events where session_id = ? and session_started_at = ?"
                        + " and seq > ? order by seq limit ?",
                SessionStore::storedEvent,
                id,
                startedAt,
                afterSeq,
                limit);
    }

    /** Streams every event of a session in sequence order; needs a transaction for the cursor. */
    void streamEvents(UUID id, OffsetDateTime startedAt, java.util.function.Consumer<StoredEvent> consumer) {
        jdbc.query(
                connection -> {
                    PreparedStatement ps = connection.prepareStatement("select " + EVENT_COLUMNS
                            + " from session_events where session_id = ? and session_started_at = ? order by seq");
                    ps.setFetchSize(FETCH_SIZE);
                    ps.setObject(1, id);
                    ps.setObject(2, startedAt);
                    return ps;
                },
                (RowCallbackHandler) rs -> consumer.accept(storedEvent(rs, 0)));
    }

    private static final String EVENT_COLUMNS =
            "seq, type, (extract(epoch from event_time) * 1000000)::bigint, payload::text, prev_hash, hash";

    private static StoredEvent storedEvent(ResultSet rs, int row) throws SQLException {
        return new StoredEvent(
                rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6));
    }

    /** Sets legal hold; false when there is no such session. */
    boolean setLegalHold(UUID id, boolean legalHold) {
        return jdbc.update("update sessions set legal_hold = ? where id = ?", legalHold, id) == 1;
    }

    private SessionView view(ResultSet rs, int row) throws SQLException {
        Array groups = rs.getArray("subject_groups");
        return new SessionView(
                rs.getObject("id", UUID.class),
                rs.getString("subject"),
                groups == null ? List.of() : List.of((String[]) groups.getArray()),
                rs.getString("client_id"),
                rs.getString("connection_name"),
                rs.getString("connection_type"),
                rs.getString("proxy_node"),
                instant(rs, "started_at"),
                instant(rs, "ended_at"),
                rs.getString("end_reason"),
                new SessionView.Counts(
                        rs.getLong("allowed_count"),
                        rs.getLong("blocked_count"),
                        rs.getLong("reviewed_count"),
                        rs.getLong("masked_count")),
                rs.getLong("event_count"),
                rs.getBoolean("chain_valid"),
                (Long) rs.getObject("first_bad_seq"),
                rs.getBoolean("legal_hold"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Array uuidArray(PreparedStatement ps, List<UUID> ids) throws SQLException {
        return ps.getConnection().createArrayOf("uuid", ids.toArray());
    }

    private static void setLongOrNull(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }
}
