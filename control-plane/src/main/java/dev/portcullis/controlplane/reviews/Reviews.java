package dev.portcullis.controlplane.reviews;

import dev.portcullis.controlplane.audit.AuditLog;
import dev.portcullis.controlplane.system.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Just-in-time approval. A proxy opens a review for a command it holds; approvers decide it; the proxy learns the
 * outcome by a long poll and, after the hold, a retry of the same command may use the approval once. A review is
 * decided exactly once: every decider locks the review's row first, so concurrent approvals and denials take turns
 * and all but the deciding one find it no longer pending.
 */
@Service
public class Reviews {

    /** The PostgreSQL notification channel that announces a review's change (payload: its id). */
    public static final String CHANNEL = "portcullis_review";

    /**
     * Audit actions: a proxy opening a review for a held command, one approver's approval, one approver's denial, the
     * expiry of an undecided review, a proxy using an approval, and a restarted proxy orphaning what it held.
     */
    public static final String AUDIT_OPEN = "review.open";

    public static final String AUDIT_APPROVE = "review.approve";

    public static final String AUDIT_DENY = "review.deny";

    public static final String AUDIT_EXPIRE = "review.expire";

    public static final String AUDIT_CONSUME = "review.consume";

    public static final String AUDIT_ORPHAN = "review.orphan";

    static final String RESOURCE = "review";

    /** The longest comment an approver may leave. */
    static final int MAX_COMMENT = 4096;

    private static final Logger log = LoggerFactory.getLogger(Reviews.class);

    /** The expiry job's advisory lock key, shared by every control-plane instance ("prtc-rev"). */
    static final long EXPIRY_LOCK = 0x70727463_2d726576L;

    private final ReviewRepository repository;

    private final AuditLog auditLog;

    private final ApplicationEventPublisher events;

    private final ReviewProperties properties;

    private final Clock clock;

    Reviews(
            ReviewRepository repository,
            AuditLog auditLog,
            ApplicationEventPublisher events,
            ReviewProperties properties,
            Clock clock) {
        this.repository = repository;
        this.auditLog = auditLog;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
    }

    /** Opens a pending review; approvers hear of it once it is committed. */
    @Transactional
    public ReviewView open(OpenReviewRequest request) {
        if (request.command().getBytes(StandardCharsets.UTF_8).length > OpenReviewRequest.MAX_COMMAND_BYTES) {
            throw new ApiException.Invalid(
                    "command", "must be at most " + OpenReviewRequest.MAX_COMMAND_BYTES + " bytes (UTF-8)");
        }
        Instant now = now();
        ReviewRepository.Row row = new ReviewRepository.Row(
                UUID.randomUUID(),
                ReviewStatus.PENDING,
                request.connection(),
                request.subject(),
                request.groups() == null ? List.of() : List.copyOf(request.groups()),
                request.clientId(),
                request.command(),
                request.commandHash(),
                request.rule(),
                request.policy(),
                request.approverGroups().stream().distinct().toList(),
                request.approvals(),
                request.sessionId(),
                request.proxyNode(),
                now,
                now.plus(properties.pendingTtl()),
                null,
                null,
                null,
                false);
        repository.insert(row);
        ReviewView view = view(row, List.of());
        auditLog.record(AUDIT_OPEN, RESOURCE, row.id().toString(), null, view);
        events.publishEvent(new ReviewEvent(ReviewEvent.OPENED, view));
        log.info(
                "Review opened: review={} connection={} subject={} rule={} approvers={}",
                row.id(),
                row.connection(),
                row.subject(),
                row.rule(),
                row.approverGroups());
        return view;
    }

    /** A review, or {@link ApiException.NotFound}. */
    @Transactional(readOnly = true)
    public ReviewView get(UUID id) {
        return view(repository.find(id).orElseThrow(() -> notFound(id)));
    }

    /** Reviews newest first, optionally of one status. */
    @Transactional(readOnly = true)
    public Page<ReviewView> list(ReviewStatus status, int page, int size) {
        List<ReviewRepository.Row> rows = repository.page(status, page, size);
        Map<UUID, List<ReviewView.Decision>> decisions =
                repository.decisions(rows.stream().map(ReviewRepository.Row::id).toList());
        List<ReviewView> views = rows.stream()
                .map(r -> view(r, decisions.getOrDefault(r.id(), List.of())))
                .toList();
        return new PageImpl<>(views, PageRequest.of(page, size), repository.count(status));
    }

    /**
     * Records one person's decision. {@code decidedBy} must belong to one of the review's approver groups and must not
     * be who asked; each person decides once; one denial decides, and approvals by distinct people up to the quorum
     * approve. A review found past its expiry is expired on the spot (and that is kept) and refused.
     */
    @Transactional(noRollbackFor = ApiException.Conflict.class)
    public ReviewView decide(
            UUID id, ReviewDecision decision, String comment, String decidedBy, Collection<String> deciderGroups) {
        if (comment != null && comment.length() > MAX_COMMENT) {
            throw new ApiException.Invalid("comment", "must be at most " + MAX_COMMENT + " characters");
        }
        String note = comment == null || comment.isBlank() ? null : comment.strip();
        ReviewRepository.Row row = repository.lock(id).orElseThrow(() -> notFound(id));
        if (row.approverGroups().stream().noneMatch(deciderGroups::contains)) {
            throw new ApiException.Forbidden(
                    "Only members of " + String.join(", ", row.approverGroups()) + " may decide review " + id);
        }
        if (row.subject().equals(decidedBy)) {
            throw new ApiException.Forbidden("You asked for this command: someone else must decide review " + id);
        }
        if (row.status() != ReviewStatus.PENDING) {
            throw new ApiException.Conflict("Review " + id + " is " + row.status() + " and can no longer be decided");
        }
        Instant now = now();
        List<ReviewView.Decision> decisions = repository.decisions(List.of(id)).getOrDefault(id, List.of());
        if (!row.expiresAt().isAfter(now)) {
            expire(row, decisions);
            throw new ApiException.Conflict("Review " + id + " is EXPIRED and can no longer be decided");
        }
        if (decisions.stream().anyMatch(d -> d.by().equals(decidedBy))) {
            throw new ApiException.Conflict("You already decided review " + id);
        }
        ReviewView before = view(row, decisions);
        repository.insertDecision(id, decidedBy, decision, note, now);
        if (decision == ReviewDecision.DENY) {
            repository.finish(id, ReviewStatus.DENIED, now, null);
        } else if (repository.approvals(id) >= row.approvalsRequired()) {
            repository.finish(id, ReviewStatus.APPROVED, now, now.plus(properties.validity()));
        }
        ReviewView after = get(id);
        auditLog.record(
                decision == ReviewDecision.APPROVE ? AUDIT_APPROVE : AUDIT_DENY,
                RESOURCE,
                id.toString(),
                before,
                after,
                note);
        repository.notifyChanged(id);
        if (after.status() != ReviewStatus.PENDING) {
            events.publishEvent(new ReviewEvent(ReviewEvent.DECIDED, after));
        }
        log.info("Review decision: review={} by={} decision={} status={}", id, decidedBy, decision, after.status());
        return after;
    }

    /**
     * Uses an approval: the approved, still valid, unused review of this subject, connection and command hash, marked
     * consumed by this call and no other; {@link ApiException.NotFound} when there is none.
     */
    @Transactional
    public ReviewView consume(String subject, String connection, String commandHash) {
        Optional<UUID> claimed = repository.consume(subject, connection, commandHash, now());
        UUID id = claimed.orElseThrow(() -> new ApiException.NotFound("No approved, unused and still valid review of"
                + " this command for " + subject + " on " + connection));
        log.info("Review approval used: review={} connection={} subject={}", id, connection, subject);
        ReviewView view = get(id);
        auditLog.record(AUDIT_CONSUME, RESOURCE, id.toString(), null, view);
        return view;
    }

    /** Marks the pending reviews that proxy node opened before {@code before} as orphaned; answers how many. */
    @Transactional
    public int orphan(String proxyNode, Instant before) {
        List<UUID> orphaned = repository.orphan(proxyNode, before);
        for (UUID id : orphaned) {
            auditLog.record(
                    AUDIT_ORPHAN, RESOURCE, id.toString(), null, get(id), "proxy node " + proxyNode + " restarted");
        }
        if (!orphaned.isEmpty()) {
            log.info("Reviews orphaned: proxyNode={} count={}", proxyNode, orphaned.size());
        }
        return orphaned.size();
    }

    /**
     * Expires every pending review past its expiry. Several control-plane instances may call this at once: the one
     * that gets the database lock does the work, the others skip. Answers how many expired here.
     */
    @Transactional
    public int expireDue() {
        if (!repository.tryExpiryLock(EXPIRY_LOCK)) {
            return 0;
        }
        List<UUID> expired = repository.expireDue(now());
        for (UUID id : expired) {
            ReviewView view = get(id);
            auditLog.record(AUDIT_EXPIRE, RESOURCE, id.toString(), null, view);
            repository.notifyChanged(id);
            events.publishEvent(new ReviewEvent(ReviewEvent.EXPIRED, view));
        }
        if (!expired.isEmpty()) {
            log.info("Reviews expired: count={}", expired.size());
        }
        return expired.size();
    }

    /** Ids among these that are no longer pending, or unknown: what a waiting long poll should answer now. */
    @Transactional(readOnly = true)
    public List<UUID> settled(Collection<UUID> ids) {
        return repository.settled(ids);
    }

    private void expire(ReviewRepository.Row row, List<ReviewView.Decision> decisions) {
        repository.finish(row.id(), ReviewStatus.EXPIRED, null, null);
        ReviewView view = get(row.id());
        auditLog.record(AUDIT_EXPIRE, RESOURCE, row.id().toString(), view(row, decisions), view);
        repository.notifyChanged(row.id());
        events.publishEvent(new ReviewEvent(ReviewEvent.EXPIRED, view));
    }

    private ReviewView view(ReviewRepository.Row row) {
        return view(row, repository.decisions(List.of(row.id())).getOrDefault(row.id(), List.of()));
    }

    private ReviewView view(ReviewRepository.Row r, List<ReviewView.Decision> decisions) {
        return new ReviewView(
                r.id(),
                r.status(),
                r.connection(),
                r.subject(),
                r.groups(),
                r.clientId(),
                r.command(),
                r.commandHash(),
                r.rule(),
                r.policy(),
                r.approverGroups(),
                r.approvalsRequired(),
                List.copyOf(decisions),
                r.createdAt(),
                r.expiresAt(),
                r.decidedAt(),
                r.validUntil(),
                r.consumedAt(),
                r.orphaned(),
                r.sessionId(),
                r.proxyNode(),
                properties.urlOf(r.id()));
    }

    private Instant now() {
        // PostgreSQL keeps microseconds: what is answered now reads the same as what is read back later.
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }

    private static ApiException.NotFound notFound(UUID id) {
        return new ApiException.NotFound(RESOURCE, id.toString());
    }
}
