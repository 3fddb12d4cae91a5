package dev.portcullis.controlplane.reviews;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code reviews} and {@code review_decisions} tables, in plain SQL: deciding needs a row lock and consuming an
 * atomic claim, both clearer in SQL than through an ORM.
 */
@Repository
class ReviewRepository {

    private static final String COLUMNS = "id, status, connection_name, subject, subject_groups, client_id, command,"
            + " command_hash, rule, policy_name, approver_groups, approvals_required, session_id, proxy_node,"
            + " created_at, expires_at, decided_at, valid_until, consumed_at, orphaned";

    /** A review row without its decisions. */
    record Row(
            UUID id,
            ReviewStatus status,
            String connection,
            String subject,
            List<String> groups,
            String clientId,
            String command,
            String commandHash,
            String rule,
            String policy,
            List<String> approverGroups,
            int approvalsRequired,
            UUID sessionId,
            String proxyNode,
            Instant createdAt,
            Instant expiresAt,
            Instant decidedAt,
            Instant validUntil,
            Instant consumedAt,
            boolean orphaned) {}

    private final JdbcClient jdbc;

    ReviewRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Row r) {
        jdbc.sql("insert into reviews (" + COLUMNS + ") values"
                        + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                        r.id(),
                        r.status().name(),
                        r.connection(),
                        r.subject(),
                        r.groups().toArray(String[]::new),
                        r.clientId(),
                        r.command(),
                        r.commandHash(),
                        r.rule(),
                        r.policy(),
                        r.approverGroups().toArray(String[]::new),
                        r.approvalsRequired(),
                        r.sessionId(),
                        r.proxyNode(),
                        ts(r.createdAt()),
                        ts(r.expiresAt()),
                        ts(r.decidedAt()),
                        ts(r.validUntil()),
                        ts(r.consumedAt()),
                        r.orphaned())
                .update();
    }

    Optional<Row> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from reviews where id = ?")
                .param(id)
                .query(ReviewRepository::row)
                .optional();
    }

    /** Reads a review and locks its row until the transaction ends: deciders of one review take turns. */
    Optional<Row> lock(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from reviews where id = ? for update")
                .param(id)
                .query(ReviewRepository::row)
                .optional();
    }

    List<Row> page(ReviewStatus status, int page, int size) {
        String where = status == null ? "" : " where status = ?";
        List<Object> params = new ArrayList<>();
        if (status != null) {
            params.add(status.name());
        }
        params.add(size);
        params.add((long) page * size);
        return jdbc.sql("select " + COLUMNS + " from reviews" + where
                        + " order by created_at desc, id limit ? offset ?")
                .params(params)
                .query(ReviewRepository::row)
                .list();
    }

    long count(ReviewStatus status) {
        return status == null
                ? jdbc.sql("select count(*) from reviews").query(Long.class).single()
                : jdbc.sql("select count(*) from reviews where status = ?")
                        .param(status.name())
                        .query(Long.class)
                        .single();
    }

    /** The decisions of these reviews, oldest first, by review. */
    Map<UUID, List<ReviewView.Decision>> decisions(Collection<UUID> reviewIds) {
        Map<UUID, List<ReviewView.Decision>> byReview = new LinkedHashMap<>();
        if (reviewIds.isEmpty()) {
            return byReview;
        }
        jdbc.sql("select review_id, decided_by, decision, comment, decided_at from review_decisions"
                        + " where review_id = any(?::uuid[]) order by decided_at, id")
                .param(uuids(reviewIds))
                .query(rs -> {
                    byReview.computeIfAbsent(rs.getObject("review_id", UUID.class), k -> new ArrayList<>())
                            .add(new ReviewView.Decision(
                                    rs.getString("decided_by"),
                                    ReviewDecision.valueOf(rs.getString("decision")),
                                    rs.getString("comment"),
                                    instant(rs, "decided_at")));
                });
        return byReview;
    }

    void insertDecision(UUID reviewId, String by, ReviewDecision decision, String comment, Instant at) {
        jdbc.sql("insert into review_decisions (id, review_id, decided_by, decision, comment, decided_at)"
                        + " values (?, ?, ?, ?, ?, ?)")
                .params(UUID.randomUUID(), reviewId, by, decision.name(), comment, ts(at))
                .update();
    }

    /** How many distinct people approved: the unique key on (review, person) makes a row a person. */
    int approvals(UUID reviewId) {
        return jdbc.sql("select count(*) from review_decisions where review_id = ? and decision = 'APPROVE'")
                .param(reviewId)
                .query(Integer.class)
                .single();
    }

    /** Moves a pending review to its final status; the caller holds the row lock. */
    void finish(UUID id, ReviewStatus status, Instant decidedAt, Instant validUntil) {
        jdbc.sql("update reviews set status = ?, decided_at = ?, valid_until = ?, row_version = row_version + 1"
                        + " where id = ? and status = 'PENDING'")
                .params(status.name(), ts(decidedAt), ts(validUntil), id)
                .update();
    }

    /**
     * Claims the approval of a retried command: one approved, still valid, unused review of this subject, connection
     * and command. A row another transaction is claiming is skipped, and the outer condition is checked again on the
     * row as it is when updated, so two claims never get the same review.
     */
    Optional<UUID> consume(String subject, String connection, String commandHash, Instant now) {
        return jdbc.sql("update reviews set consumed_at = ?, row_version = row_version + 1"
                        + " where id = (select id from reviews where subject = ? and connection_name = ?"
                        + " and command_hash = ? and status = 'APPROVED' and valid_until > ? and consumed_at is null"
                        + " order by decided_at limit 1 for update skip locked)"
                        + " and consumed_at is null and valid_until > ? returning id")
                .params(ts(now), subject, connection, commandHash, ts(now), ts(now))
                .query(UUID.class)
                .optional();
    }

    /** Marks that node's pending reviews opened before {@code before} as orphaned; answers their ids. */
    List<UUID> orphan(String proxyNode, Instant before) {
        return jdbc.sql("update reviews set orphaned = true, row_version = row_version + 1 where proxy_node = ?"
                        + " and status = 'PENDING' and created_at < ? and not orphaned returning id")
                .params(proxyNode, ts(before))
                .query(UUID.class)
                .list();
    }

    /** Takes the expiry job's lock for this transaction, or answers false when another instance holds it. */
    boolean tryExpiryLock(long key) {
        return Boolean.TRUE.equals(jdbc.sql("select pg_try_advisory_xact_lock(?)")
                .param(key)
                .query(Boolean.class)
                .single());
    }

    /** Marks every pending review past its expiry as expired; answers their ids. */
    List<UUID> expireDue(Instant now) {
        return jdbc.sql("update reviews set status = 'EXPIRED', row_version = row_version + 1"
                        + " where status = 'PENDING' and expires_at <= ? returning id")
                .param(ts(now))
                .query(UUID.class)
                .list();
    }

    /** Which of these reviews are no longer pending (or gone). */
    List<UUID> settled(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select w.id from unnest(?::uuid[]) as w(id) left join reviews r on r.id = w.id"
                        + " where r.id is null or r.status <> 'PENDING'")
                .param(uuids(ids))
                .query(UUID.class)
                .list();
    }

    /** Wakes the long polls on every control-plane instance; PostgreSQL delivers it when the transaction commits. */
    void notifyChanged(UUID id) {
        jdbc.sql("select pg_notify(?, ?)")
                .params(Reviews.CHANNEL, id.toString())
                .query()
                .singleRow();
    }

    private static Row row(ResultSet rs, int rowNum) throws SQLException {
        return new Row(
                rs.getObject("id", UUID.class),
                ReviewStatus.valueOf(rs.getString("status")),
                rs.getString("connection_name"),
                rs.getString("subject"),
                strings(rs.getArray("subject_groups")),
                rs.getString("client_id"),
                rs.getString("command"),
                rs.getString("command_hash"),
                rs.getString("rule"),
                rs.getString("policy_name"),
                strings(rs.getArray("approver_groups")),
                rs.getInt("approvals_required"),
                rs.getObject("session_id", UUID.class),
                rs.getString("proxy_node"),
                instant(rs, "created_at"),
                instant(rs, "expires_at"),
                instant(rs, "decided_at"),
                instant(rs, "valid_until"),
                instant(rs, "consumed_at"),
                rs.getBoolean("orphaned"));
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static String[] uuids(Collection<UUID> ids) {
        return ids.stream().map(UUID::toString).toArray(String[]::new);
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
