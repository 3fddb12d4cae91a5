package dev.portcullis.proxy.http;

import dev.portcullis.policy.eval.Subject;
import dev.portcullis.policy.eval.Verdict;
import dev.portcullis.proxy.controlplane.ControlPlaneClient.UnavailableException;
import dev.portcullis.proxy.reviews.ReviewClient;
import dev.portcullis.proxy.reviews.ReviewClient.Review;
import dev.portcullis.proxy.system.FilterOrder;
import dev.portcullis.proxy.system.Problems;
import dev.portcullis.proxy.system.ProxyNode;
import dev.portcullis.proxy.system.ProxyProperties;
import dev.portcullis.proxy.system.ReviewProperties;
import dev.portcullis.recording.EventTypes;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Holds a request the policy sends for review until a human decides. First, an approval of this very command
 * (method, path with query, body hash, connection) by this caller that is still valid and unused lets it through,
 * once. Otherwise a review is opened on the control plane and the request waits for the decision, up to the rule's
 * hold capped by {@code portcullis.review.hold}: approved → forwarded; denied → 403 with the approver's comment;
 * still pending → 409 with the review's id and link, so the caller can retry once it is approved. When the control
 * plane cannot be reached the request is refused (503), never let through.
 */
@Component
class ReviewFilter implements GlobalFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ReviewFilter.class);

    private final boolean enabled;

    private final ReviewClient reviews;

    private final ProxyNode node;

    private final Duration holdCap;

    private final int commandBodyChars;

    private final long maxBody;

    ReviewFilter(ProxyProperties properties, ReviewProperties review, ReviewClient reviews, ProxyNode node) {
        this.enabled = properties.filters().review();
        this.reviews = reviews;
        this.node = node;
        this.holdCap = review.hold();
        this.commandBodyChars = review.commandBodyChars();
        this.maxBody = properties.maxRequestBody().toBytes();
    }

    @Override
    public int getOrder() {
        return FilterOrder.REVIEW;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        if (!(Exchanges.verdict(exchange) instanceof Verdict.Review review)) {
            return chain.filter(exchange);
        }
        if (!enabled) {
            return Problems.write(
                    exchange,
                    HttpStatus.FORBIDDEN,
                    "This request needs approval by " + String.join(", ", review.approverGroups())
                            + ", and holding requests for review is switched off on this proxy",
                    fields(review, null, "Requires review"));
        }
        return RequestBodies.cache(exchange, maxBody)
                .flatMap(cached -> hold(cached, chain, review))
                .onErrorResume(
                        RequestBodies.TooLargeException.class,
                        e -> Problems.write(
                                exchange,
                                HttpStatus.PAYLOAD_TOO_LARGE,
                                "The request body is larger than " + maxBody
                                        + " bytes (portcullis.proxy.max-request-body)"));
    }

    private Mono<Void> hold(ServerWebExchange exchange, GatewayFilterChain chain, Verdict.Review review) {
        Subject subject = Exchanges.subject(exchange);
        String connection = Exchanges.connectionName(exchange);
        String method = exchange.getRequest().getMethod().name();
        String target = Exchanges.restPath(exchange)
                + (exchange.getRequest().getURI().getRawQuery() != null
                        ? "?" + exchange.getRequest().getURI().getRawQuery()
                        : "");
        byte[] body = Exchanges.state(exchange).requestBody;
        String commandHash = commandHash(method, target, body, connection);
        Duration hold = review.hold().compareTo(holdCap) < 0 ? review.hold() : holdCap;
        return reviews.consume(subject.name(), connection, commandHash)
                .flatMap(approved -> {
                    if (approved.isPresent()) {
                        log.info(
                                "Approved retry: connection={} subject={} review={}",
                                connection,
                                subject.name(),
                                approved.get().id());
                        recordDecided(exchange, approved.get(), true);
                        return chain.filter(exchange);
                    }
                    ReviewClient.Opening opening = new ReviewClient.Opening(
                            connection,
                            subject.name(),
                            new ArrayList<>(subject.groups()),
                            Exchanges.state(exchange).clientId,
                            command(method, target, body),
                            commandHash,
                            review.rule(),
                            review.policy(),
                            review.approverGroups(),
                            review.approvals(),
                            Exchanges.state(exchange).sessionId,
                            node.id());
                    long deadline = System.nanoTime() + hold.toNanos();
                    return reviews.open(opening)
                            .doOnNext(opened -> {
                                log.info(
                                        "Holding for review: connection={} subject={} review={} rule={}",
                                        connection,
                                        subject.name(),
                                        opened.id(),
                                        review.rule());
                                Map<String, Object> payload = new LinkedHashMap<>();
                                payload.put("reviewId", opened.id().toString());
                                payload.put("rule", review.rule());
                                payload.put("policy", review.policy());
                                payload.put("approverGroups", review.approverGroups());
                                payload.put("approvals", review.approvals());
                                payload.put("url", opened.url());
                                Exchanges.record(exchange, EventTypes.REVIEW_OPENED, payload);
                            })
                            .flatMap(opened -> awaitDecision(opened, deadline))
                            .flatMap(decided -> answer(exchange, chain, review, decided, commandHash));
                })
                .onErrorResume(UnavailableException.class, e -> {
                    log.warn(
                            "Review unavailable, refused: connection={} subject={} cause={}",
                            connection,
                            subject.name(),
                            e.getMessage());
                    return Problems.write(
                            exchange,
                            HttpStatus.SERVICE_UNAVAILABLE,
                            "This request needs approval, and the control plane that keeps reviews cannot be reached:"
                                    + " it was refused, not let through",
                            fields(review, null, "Requires review"));
                });
    }

    private Mono<Review> awaitDecision(Review review, long deadlineNanos) {
        long remaining = deadlineNanos - System.nanoTime();
        if (!review.pending() || remaining <= 0) {
            return Mono.just(review);
        }
        Duration wait = Duration.ofNanos(remaining);
        // Whole seconds of waiting on the control plane; a remainder under a second is not worth another round.
        if (wait.toSeconds() < 1) {
            return Mono.just(review);
        }
        return reviews.await(review.id(), wait).flatMap(next -> awaitDecision(next, deadlineNanos));
    }

    private Mono<Void> answer(
            ServerWebExchange exchange,
            GatewayFilterChain chain,
            Verdict.Review verdict,
            Review review,
            String commandHash) {
        switch (review.status()) {
            case "APPROVED" -> {
                // The approval is used by this request, so it cannot let the same command through a second time.
                return reviews.consume(
                                Exchanges.subject(exchange).name(), Exchanges.connectionName(exchange), commandHash)
                        .flatMap(consumed -> {
                            recordDecided(exchange, review, consumed.isPresent());
                            if (consumed.isEmpty()) {
                                return Problems.write(
                                        exchange,
                                        HttpStatus.CONFLICT,
                                        "The approval of this request was already used",
                                        fields(verdict, review, "Approval already used"));
                            }
                            return chain.filter(exchange);
                        });
            }
            case "DENIED" -> {
                recordDecided(exchange, review, false);
                String comment = review.comment();
                return Problems.write(
                        exchange,
                        HttpStatus.FORBIDDEN,
                        comment.isBlank()
                                ? "An approver denied this request"
                                : "An approver denied this request: " + comment,
                        fields(verdict, review, comment.isBlank() ? "Denied by an approver" : comment));
            }
            case "PENDING" -> {
                Map<String, Object> fields = fields(verdict, review, "Review pending");
                return Problems.write(
                        exchange,
                        HttpStatus.CONFLICT,
                        "This request is waiting for approval by " + String.join(", ", verdict.approverGroups())
                                + ". Once it is approved, send the same request again (once).",
                        fields);
            }
            default -> {
                recordDecided(exchange, review, false);
                return Problems.write(
                        exchange,
                        HttpStatus.FORBIDDEN,
                        "The review of this request " + review.status().toLowerCase() + " without approval",
                        fields(verdict, review, "Review " + review.status().toLowerCase()));
            }
        }
    }

    private static void recordDecided(ServerWebExchange exchange, Review review, boolean consumed) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("reviewId", review.id().toString());
        payload.put("status", review.status());
        payload.put("decisions", review.decisionsForRecord());
        payload.put("consumed", consumed);
        Exchanges.record(exchange, EventTypes.REVIEW_DECIDED, payload);
    }

    private static Map<String, Object> fields(Verdict.Review verdict, Review review, String reason) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("rule", verdict.rule() == null ? "" : verdict.rule());
        fields.put("policy", verdict.policy() == null ? "" : verdict.policy());
        fields.put("reason", reason);
        if (review != null) {
            fields.put("reviewId", review.id().toString());
            fields.put("reviewUrl", review.url());
            fields.put("reviewStatus", review.status());
        }
        return fields;
    }

    /** What approvers read: the request line, and the body when it is short text. */
    private String command(String method, String target, byte[] body) {
        StringBuilder command = new StringBuilder(method).append(' ').append(target);
        if (body != null && body.length > 0) {
            String text = utf8(body);
            if (text == null) {
                command.append("\n\n[").append(body.length).append(" bytes of binary body]");
            } else if (text.length() > commandBodyChars) {
                command.append("\n\n")
                        .append(text, 0, commandBodyChars)
                        .append("\n[… ")
                        .append(body.length)
                        .append(" bytes in all]");
            } else {
                command.append("\n\n").append(text);
            }
        }
        return command.toString();
    }

    private static String utf8(byte[] body) {
        try {
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(body))
                    .toString();
            return text.indexOf('\0') >= 0 ? null : text;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** SHA-256 over the method, the path with its query as sent, the body's SHA-256 and the connection. */
    static String commandHash(String method, String target, byte[] body, String connection) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            String bodyHash = HexFormat.of().formatHex(sha256.digest(body == null ? new byte[0] : body));
            sha256.reset();
            String canonical = method + "\n" + target + "\n" + bodyHash + "\n" + connection;
            return HexFormat.of().formatHex(sha256.digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
