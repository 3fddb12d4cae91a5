package dev.portcullis.proxy.reviews;

import dev.portcullis.proxy.controlplane.ControlPlaneClient;
import dev.portcullis.proxy.controlplane.ControlPlaneClient.Reply;
import dev.portcullis.proxy.controlplane.ControlPlaneClient.UnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The proxy's side of reviews on the control plane ({@code /api/v1/proxy/reviews}): open one, wait for its decision,
 * and consume an approval when the caller retries. Every call runs off the event loop; waiting for a decision holds
 * no thread. Any failure to reach the control plane surfaces as {@link UnavailableException}, so that the caller can
 * refuse the request rather than let it through.
 */
@Component
public class ReviewClient {

    /** The longest one long poll of a review waits; a longer hold polls again. */
    static final Duration MAX_POLL = Duration.ofSeconds(30);

    /**
     * A review as the control plane reports it.
     *
     * @param id its id
     * @param status {@code PENDING}, {@code APPROVED}, {@code DENIED} or {@code EXPIRED}
     * @param url where approvers decide it
     * @param decisions who decided what, in order
     */
    public record Review(UUID id, String status, String url, List<Decision> decisions) {

        /** Whether it still waits for a decision. */
        public boolean pending() {
            return "PENDING".equals(status);
        }

        /** The comment of the first deny, or of the last decision; empty when there is none. */
        public String comment() {
            return decisions.stream()
                    .filter(d -> "DENY".equals(d.decision()))
                    .findFirst()
                    .or(() -> decisions.isEmpty() ? Optional.empty() : Optional.of(decisions.get(decisions.size() - 1)))
                    .map(Decision::comment)
                    .orElse("");
        }

        /** The decisions as a session event records them. */
        public List<Map<String, Object>> decisionsForRecord() {
            List<Map<String, Object>> list = new ArrayList<>();
            for (Decision d : decisions) {
                Map<String, Object> map = new LinkedHashMap<>();
                map.put("by", d.by());
                map.put("decision", d.decision());
                map.put("comment", d.comment());
                map.put("at", d.at());
                list.add(map);
            }
            return list;
        }
    }

    /**
     * One person's decision.
     *
     * @param by who
     * @param decision {@code APPROVE} or {@code DENY}
     * @param comment their comment, empty if none
     * @param at when, ISO-8601
     */
    public record Decision(String by, String decision, String comment, String at) {}

    /**
     * What a proxy asks a review for.
     *
     * @param connection the connection
     * @param subject who asked
     * @param groups their groups
     * @param clientId the OAuth2 client they came with, if known
     * @param command the exact command, as approvers read it
     * @param commandHash what a retry must match: method, path, body hash and connection
     * @param rule the rule that asked for review
     * @param policy its policy
     * @param approverGroups who may approve
     * @param approvals how many distinct people must approve
     * @param sessionId the session the request belongs to, if recorded
     * @param proxyNode this node
     */
    public record Opening(
            String connection,
            String subject,
            List<String> groups,
            String clientId,
            String command,
            String commandHash,
            String rule,
            String policy,
            List<String> approverGroups,
            int approvals,
            UUID sessionId,
            String proxyNode) {}

    private final ControlPlaneClient client;

    private final JsonMapper json;

    ReviewClient(ControlPlaneClient client, JsonMapper json) {
        this.client = client;
        this.json = json;
    }

    /** Opens a review; it starts PENDING. */
    public Mono<Review> open(Opening opening) {
        return Mono.fromCallable(() -> {
                    Reply reply = client.postJson("/api/v1/proxy/reviews", opening, Duration.ofSeconds(10));
                    if (reply.status() != 201 && reply.status() != 200) {
                        throw new UnavailableException(
                                "The control plane answered " + reply.status() + " to opening a review", null);
                    }
                    return read(reply.body());
                })
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** The review's state once it is decided, or after {@code wait} (at most {@link #MAX_POLL}) if still pending. */
    public Mono<Review> await(UUID id, Duration wait) {
        Duration poll = wait.compareTo(MAX_POLL) > 0 ? MAX_POLL : wait;
        long seconds = Math.max(0, poll.toSeconds());
        return Mono.defer(() -> Mono.fromFuture(client.getAsync(
                        "/api/v1/proxy/reviews/" + id + "?wait=PT" + seconds + "S", Duration.ofSeconds(seconds + 15))))
                .subscribeOn(Schedulers.boundedElastic())
                .map(reply -> {
                    if (reply.status() != 200) {
                        throw new UnavailableException(
                                "The control plane answered " + reply.status() + " about review " + id, null);
                    }
                    return read(reply.body());
                });
    }

    /**
     * Uses up an approval of this exact command by this subject, if there is one still valid and unused.
     *
     * @return the approved review, or empty when there is none to use
     */
    public Mono<Optional<Review>> consume(String subject, String connection, String commandHash) {
        return Mono.fromCallable(() -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("subject", subject);
                    body.put("connection", connection);
                    body.put("commandHash", commandHash);
                    Reply reply = client.postJson("/api/v1/proxy/reviews/consume", body, Duration.ofSeconds(10));
                    if (reply.status() == 404) {
                        return Optional.<Review>empty();
                    }
                    if (reply.status() != 200) {
                        throw new UnavailableException(
                                "The control plane answered " + reply.status() + " to consuming an approval", null);
                    }
                    return Optional.of(read(reply.body()));
                })
                .subscribeOn(Schedulers.boundedElastic());
    }

    /**
     * Marks the reviews this node opened before it started as orphaned: their held requests died with the process
     * that held them. Blocking; call it off the event loop.
     *
     * @return how many were marked
     */
    public int orphan(String proxyNode, Instant before) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("proxyNode", proxyNode);
        body.put("before", before.toString());
        Reply reply = client.postJson("/api/v1/proxy/reviews/orphan", body, Duration.ofSeconds(10));
        if (reply.status() != 200) {
            throw new UnavailableException(
                    "The control plane answered " + reply.status() + " to marking orphaned reviews", null);
        }
        Object count = json.readValue(reply.body(), new TypeReference<Map<String, Object>>() {})
                .get("orphaned");
        return count instanceof Number n ? n.intValue() : 0;
    }

    private Review read(String body) {
        Map<String, Object> map = json.readValue(body, new TypeReference<Map<String, Object>>() {});
        List<Decision> decisions = new ArrayList<>();
        if (map.get("decisions") instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> d) {
                    decisions.add(new Decision(
                            string(d.get("by")),
                            string(d.get("decision")),
                            string(d.get("comment")),
                            string(d.get("at"))));
                }
            }
        }
        Object id = map.get("id");
        if (id == null || map.get("status") == null) {
            throw new UnavailableException("The control plane sent a review without id or status", null);
        }
        return new Review(
                UUID.fromString(id.toString()), map.get("status").toString(), string(map.get("url")), decisions);
    }

    private static String string(Object value) {
        return value == null ? "" : value.toString();
    }
}
