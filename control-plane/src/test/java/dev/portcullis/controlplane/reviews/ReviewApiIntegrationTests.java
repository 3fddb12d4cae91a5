package dev.portcullis.controlplane.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.controlplane.ApiClient;
import dev.portcullis.controlplane.ApiClient.Response;
import dev.portcullis.controlplane.ApiIntegrationTest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

class ReviewApiIntegrationTests extends ApiIntegrationTest {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Reviews reviews;

    @Test
    void approveWhenProxyIsWaitingThenLongPollWakesWithApproved() throws Exception {
        String subject = unique("agent");
        JsonNode opened = open(subject, "[\"approvers\"]", 1, "node-a");
        String id = opened.get("id").asString();
        assertThat(opened.get("status").asString()).isEqualTo("PENDING");
        assertThat(opened.get("url").asString()).isEqualTo("http://127.0.0.1:8080/reviews/" + id);
        assertThat(opened.get("subject").asString()).isEqualTo(subject);
        assertThat(opened.get("groups").toString()).isEqualTo("[\"ai-agents\"]");
        assertThat(opened.get("decisions").size()).isZero();
        Instant created = Instant.parse(opened.get("createdAt").asString());
        assertThat(Duration.between(
                        created, Instant.parse(opened.get("expiresAt").asString())))
                .isEqualTo(Duration.ofHours(1));

        Response pending = approver("rv-alice").get("/api/v1/reviews?status=PENDING&size=200");
        assertThat(pending.status()).isEqualTo(200);
        assertThat(ids(pending.json().get("items"))).contains(id);

        ApiClient proxy = proxy();
        CompletableFuture<Response> poll =
                CompletableFuture.supplyAsync(() -> proxy.get("/api/v1/proxy/reviews/" + id + "?wait=PT30S"));
        // Give the poll time to start waiting, so that it is the decision that wakes it.
        Thread.sleep(500);
        assertThat(poll).isNotDone();

        Response approved = approver("rv-alice").postJson("/api/v1/reviews/" + id + "/approve", "");
        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.json().get("status").asString()).isEqualTo("APPROVED");

        Response woken = poll.get(20, TimeUnit.SECONDS);
        assertThat(woken.status()).isEqualTo(200);
        assertThat(woken.json().get("status").asString()).isEqualTo("APPROVED");
        JsonNode decision = woken.json().get("decisions").get(0);
        assertThat(decision.get("by").asString()).isEqualTo("rv-alice");
        assertThat(decision.get("decision").asString()).isEqualTo("APPROVE");
        Instant decidedAt = Instant.parse(woken.json().get("decidedAt").asString());
        assertThat(Instant.parse(woken.json().get("validUntil").asString()))
                .isEqualTo(decidedAt.plus(Duration.ofMinutes(15)));
    }

    @Test
    void getWhenAlreadyDecidedThenAnswersAtOnce() {
        String id =
                open(unique("agent"), "[\"approvers\"]", 1, "node-a").get("id").asString();
        approver("rv-alice").postJson("/api/v1/reviews/" + id + "/deny", "{}");

        Response read = proxy().get("/api/v1/proxy/reviews/" + id + "?wait=60");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("status").asString()).isEqualTo("DENIED");
    }

    @Test
    void getWhenStillPendingAfterWaitThenAnswersPending() {
        String id =
                open(unique("agent"), "[\"approvers\"]", 1, "node-a").get("id").asString();

        Response read = proxy().get("/api/v1/proxy/reviews/" + id + "?wait=1");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("status").asString()).isEqualTo("PENDING");
    }

    @Test
    void denyWhenCommentThenCommentInDecisionsAndAuditLog() {
        String id =
                open(unique("agent"), "[\"approvers\"]", 1, "node-a").get("id").asString();

        Response denied =
                approver("rv-alice").postJson("/api/v1/reviews/" + id + "/deny", "{\"comment\": \"Not on a Friday\"}");
        assertThat(denied.status()).isEqualTo(200);
        assertThat(denied.json().get("status").asString()).isEqualTo("DENIED");
        assertThat(denied.json().get("decisions").get(0).get("comment").asString())
                .isEqualTo("Not on a Friday");
        assertThat(denied.json().get("decidedAt").isNull()).isFalse();
        assertThat(denied.json().get("validUntil").isNull()).isTrue();

        Response read = approver("rv-bob").get("/api/v1/reviews/" + id);
        assertThat(read.json().get("decisions").get(0).get("decision").asString())
                .isEqualTo("DENY");
        JsonNode audit = admin().get("/api/v1/audit-log?resourceType=review&resourceName=" + id)
                .json()
                .get("items")
                .get(0);
        assertThat(audit.get("action").asString()).isEqualTo("review.deny");
        assertThat(audit.get("actor").asString()).isEqualTo("rv-alice");
        assertThat(audit.get("detail").asString()).isEqualTo("Not on a Friday");
        assertThat(audit.get("after").get("status").asString()).isEqualTo("DENIED");
    }

    @Test
    void approveWhenRequesterThenForbidden() {
        // The approver's own command: a person never approves what they asked for.
        String id = open("rv-self", "[\"approvers\"]", 1, "node-a").get("id").asString();

        Response refused = approver("rv-self").postJson("/api/v1/reviews/" + id + "/approve", "{}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("detail").asString()).contains("You asked for this command");
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(approver("rv-self")
                        .postJson("/api/v1/reviews/" + id + "/deny", "{}")
                        .status())
                .isEqualTo(403);
        assertThat(status(id)).isEqualTo("PENDING");
    }

    @Test
    void approveWhenNotInApproverGroupThenForbidden() {
        String id = open(unique("agent"), "[\"dba\"]", 1, "node-a").get("id").asString();

        Response refused = approver("rv-alice").postJson("/api/v1/reviews/" + id + "/approve", "{}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("detail").asString()).contains("dba");
        assertThat(status(id)).isEqualTo("PENDING");
    }

    @Test
    void approveWhenQuorumOfTwoThenDistinctPeopleCount() {
        String id = open(unique("agent"), "[\"approvers\", \"dba\"]", 2, "node-a")
                .get("id")
                .asString();
        ApiClient both = as("rv-dba-carol", List.of("approvers", "dba"));

        Response first = both.postJson("/api/v1/reviews/" + id + "/approve", "{}");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("status").asString()).isEqualTo("PENDING");
        assertThat(first.json().get("decisions").size()).isEqualTo(1);

        // Belonging to two approver groups does not make one person two approvals.
        Response again = both.postJson("/api/v1/reviews/" + id + "/approve", "{}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("detail").asString()).contains("already decided");
        assertThat(status(id)).isEqualTo("PENDING");

        Response second = approver("rv-bob").postJson("/api/v1/reviews/" + id + "/approve", "{}");
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("status").asString()).isEqualTo("APPROVED");
        assertThat(second.json().get("decisions").size()).isEqualTo(2);

        Response late = approver("rv-alice").postJson("/api/v1/reviews/" + id + "/deny", "{}");
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.json().get("detail").asString()).contains("APPROVED");
    }

    @Test
    void decideWhenApproveAndDenyRaceThenDecidedExactlyOnce() throws Exception {
        String id =
                open(unique("agent"), "[\"approvers\"]", 1, "node-a").get("id").asString();
        int deciders = 10;
        List<ApiClient> clients = new ArrayList<>();
        for (int i = 0; i < deciders; i++) {
            clients.add(approver("rv-racer-" + i));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(deciders);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < deciders; i++) {
                ApiClient client = clients.get(i);
                String verb = i % 2 == 0 ? "approve" : "deny";
                answers.add(pool.submit(() -> {
                    start.await();
                    return client.postJson("/api/v1/reviews/" + id + "/" + verb, "{}");
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Response> answer : answers) {
                statuses.add(answer.get(60, TimeUnit.SECONDS).status());
            }
            assertThat(statuses).containsOnly(200, 409);
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        Integer decisionRows = jdbc.queryForObject(
                "select count(*) from review_decisions where review_id = ?", Integer.class, UUID.fromString(id));
        assertThat(decisionRows).isEqualTo(1);
        assertThat(status(id)).isIn("APPROVED", "DENIED");
    }

    @Test
    void consumeWhenApprovedThenUsableExactlyOnce() throws Exception {
        String subject = unique("agent");
        String id = open(subject, "[\"approvers\"]", 1, "node-a").get("id").asString();
        approver("rv-alice").postJson("/api/v1/reviews/" + id + "/approve", "{}");
        String body = consumeBody(subject);
        ApiClient proxy = proxy();

        int callers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return proxy.postJson("/api/v1/proxy/reviews/consume", body);
                }));
            }
            start.countDown();
            List<Response> responses = new ArrayList<>();
            for (Future<Response> answer : answers) {
                responses.add(answer.get(60, TimeUnit.SECONDS));
            }
            assertThat(responses).extracting(Response::status).containsOnly(200, 404);
            List<Response> ok =
                    responses.stream().filter(r -> r.status() == 200).toList();
            assertThat(ok).hasSize(1);
            assertThat(ok.get(0).json().get("id").asString()).isEqualTo(id);
            assertThat(ok.get(0).json().get("consumedAt").isNull()).isFalse();
        } finally {
            pool.shutdownNow();
        }
        assertThat(proxy.postJson("/api/v1/proxy/reviews/consume", body).status())
                .isEqualTo(404);
        // On record: opened, approved and used once, each by whoever did it, newest first.
        List<JsonNode> audit = audit(id);
        assertThat(audit)
                .extracting(a -> a.get("action").asString())
                .containsExactly("review.consume", "review.approve", "review.open");
        assertThat(audit)
                .extracting(a -> a.get("actor").asString())
                .containsExactly("rv-proxy", "rv-alice", "rv-proxy");
        assertThat(audit.get(0).get("after").get("consumedAt").isNull()).isFalse();
        assertThat(audit.get(2).get("after").get("status").asString()).isEqualTo("PENDING");
    }

    @Test
    void consumeWhenNotYetApprovedThenNotFound() {
        String subject = unique("agent");
        open(subject, "[\"approvers\"]", 1, "node-a");

        Response refused = proxy().postJson("/api/v1/proxy/reviews/consume", consumeBody(subject));
        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void consumeWhenDeniedThenNotFound() {
        String subject = unique("agent");
        String id = open(subject, "[\"approvers\"]", 1, "node-a").get("id").asString();
        approver("rv-alice").postJson("/api/v1/reviews/" + id + "/deny", "{}");

        assertThat(proxy().postJson("/api/v1/proxy/reviews/consume", consumeBody(subject))
                        .status())
                .isEqualTo(404);
    }

    @Test
    void consumeWhenValidityPassedThenNotFound() {
        String subject = unique("agent");
        String id = open(subject, "[\"approvers\"]", 1, "node-a").get("id").asString();
        approver("rv-alice").postJson("/api/v1/reviews/" + id + "/approve", "{}");
        jdbc.update("update reviews set valid_until = now() - interval '1 second' where id = ?", UUID.fromString(id));

        assertThat(proxy().postJson("/api/v1/proxy/reviews/consume", consumeBody(subject))
                        .status())
                .isEqualTo(404);
    }

    @Test
    void consumeWhenOtherSubjectOrCommandThenNotFound() {
        String subject = unique("agent");
        String id = open(subject, "[\"approvers\"]", 1, "node-a").get("id").asString();
        approver("rv-alice").postJson("/api/v1/reviews/" + id + "/approve", "{}");

        ApiClient proxy = proxy();
        assertThat(proxy.postJson("/api/v1/proxy/reviews/consume", consumeBody(unique("other")))
                        .status())
                .isEqualTo(404);
        assertThat(proxy.postJson(
                                "/api/v1/proxy/reviews/consume",
                                "{\"subject\": \"%s\", \"connection\": \"demo-db\", \"commandHash\": \"%s\"}"
                                        .formatted(subject, "f".repeat(64)))
                        .status())
                .isEqualTo(404);
        assertThat(proxy.postJson("/api/v1/proxy/reviews/consume", consumeBody(subject))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void expireWhenPastExpiryThenExpiredAndWaitingProxyWakes() throws Exception {
        String id =
                open(unique("agent"), "[\"approvers\"]", 1, "node-a").get("id").asString();
        ApiClient proxy = proxy();
        CompletableFuture<Response> poll =
                CompletableFuture.supplyAsync(() -> proxy.get("/api/v1/proxy/reviews/" + id + "?wait=PT30S"));
        Thread.sleep(500);
        jdbc.update("update reviews set expires_at = now() - interval '1 second' where id = ?", UUID.fromString(id));

        // The scheduled job may have got there first; either way the review ends EXPIRED.
        reviews.expireDue();

        Response woken = poll.get(20, TimeUnit.SECONDS);
        assertThat(woken.json().get("status").asString()).isEqualTo("EXPIRED");
        assertThat(approver("rv-alice")
                        .postJson("/api/v1/reviews/" + id + "/approve", "{}")
                        .status())
                .isEqualTo(409);
    }

    @Test
    void expireWhenScheduledJobRunsThenPendingPastExpiryExpired() throws Exception {
        String id =
                open(unique("agent"), "[\"approvers\"]", 1, "node-a").get("id").asString();
        jdbc.update("update reviews set expires_at = now() - interval '1 second' where id = ?", UUID.fromString(id));

        // No direct call: the job (every 10 s by default) must find it. Hang guard only.
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!status(id).equals("EXPIRED") && System.nanoTime() < giveUp) {
            Thread.sleep(250);
        }
        assertThat(status(id)).isEqualTo("EXPIRED");
        JsonNode audit = admin().get("/api/v1/audit-log?resourceType=review&resourceName=" + id)
                .json()
                .get("items")
                .get(0);
        assertThat(audit.get("action").asString()).isEqualTo("review.expire");
    }

    @Test
    void expireWhenAnotherInstanceHoldsTheLockThenSkips() throws Exception {
        String id =
                open(unique("agent"), "[\"approvers\"]", 1, "node-a").get("id").asString();
        try (Connection other = DATABASE.connect()) {
            other.setAutoCommit(false);
            try (Statement st = other.createStatement()) {
                st.execute("select pg_advisory_xact_lock(" + Reviews.EXPIRY_LOCK + ")");
            }
            jdbc.update(
                    "update reviews set expires_at = now() - interval '1 second' where id = ?", UUID.fromString(id));

            assertThat(reviews.expireDue()).isZero();
            assertThat(status(id)).isEqualTo("PENDING");
            other.commit();
        }
        // Released: this call or the scheduled job (whichever takes the lock) expires it.
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!status(id).equals("EXPIRED") && System.nanoTime() < giveUp) {
            reviews.expireDue();
        }
        assertThat(status(id)).isEqualTo("EXPIRED");
    }

    @Test
    void approveWhenPastExpiryThenExpiredAndConflict() {
        String id =
                open(unique("agent"), "[\"approvers\"]", 1, "node-a").get("id").asString();
        jdbc.update("update reviews set expires_at = now() - interval '1 second' where id = ?", UUID.fromString(id));

        Response refused = approver("rv-alice").postJson("/api/v1/reviews/" + id + "/approve", "{}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("detail").asString()).contains("EXPIRED");
        assertThat(status(id)).isEqualTo("EXPIRED");
        Integer decisionRows = jdbc.queryForObject(
                "select count(*) from review_decisions where review_id = ?", Integer.class, UUID.fromString(id));
        assertThat(decisionRows).isZero();
    }

    @Test
    void orphanWhenProxyRestartsThenItsPendingReviewsOrphanedAndStillDecidable() {
        String node = unique("node");
        String first =
                open(unique("agent"), "[\"approvers\"]", 1, node).get("id").asString();
        String second =
                open(unique("agent"), "[\"approvers\"]", 1, node).get("id").asString();
        String decided =
                open(unique("agent"), "[\"approvers\"]", 1, node).get("id").asString();
        String elsewhere = open(unique("agent"), "[\"approvers\"]", 1, unique("node"))
                .get("id")
                .asString();
        approver("rv-alice").postJson("/api/v1/reviews/" + decided + "/deny", "{}");

        Response orphaned = proxy().postJson(
                        "/api/v1/proxy/reviews/orphan",
                        "{\"proxyNode\": \"%s\", \"before\": \"%s\"}".formatted(node, Instant.now()));
        assertThat(orphaned.status()).isEqualTo(200);
        assertThat(orphaned.json().get("orphaned").asInt()).isEqualTo(2);

        assertThat(proxy().get("/api/v1/proxy/reviews/" + first)
                        .json()
                        .get("orphaned")
                        .asBoolean())
                .isTrue();
        assertThat(proxy().get("/api/v1/proxy/reviews/" + elsewhere)
                        .json()
                        .get("orphaned")
                        .asBoolean())
                .isFalse();
        assertThat(proxy().get("/api/v1/proxy/reviews/" + decided)
                        .json()
                        .get("orphaned")
                        .asBoolean())
                .isFalse();
        Response approved = approver("rv-alice").postJson("/api/v1/reviews/" + second + "/approve", "{}");
        assertThat(approved.json().get("status").asString()).isEqualTo("APPROVED");

        JsonNode orphanedEntry = audit(first).get(0);
        assertThat(orphanedEntry.get("action").asString()).isEqualTo("review.orphan");
        assertThat(orphanedEntry.get("detail").asString()).contains(node);
        assertThat(orphanedEntry.get("after").get("orphaned").asBoolean()).isTrue();
        assertThat(audit(decided)).extracting(a -> a.get("action").asString()).doesNotContain("review.orphan");
        assertThat(audit(elsewhere)).extracting(a -> a.get("action").asString()).containsExactly("review.open");
    }

    /** The review's audit entries, newest first. */
    private List<JsonNode> audit(String id) {
        List<JsonNode> entries = new ArrayList<>();
        admin().get("/api/v1/audit-log?resourceType=review&resourceName=" + id)
                .json()
                .get("items")
                .forEach(entries::add);
        return entries;
    }

    @Test
    void listWhenStatusGivenThenOnlyThatStatusNewestFirst() {
        String older =
                open(unique("agent"), "[\"approvers\"]", 1, "node-a").get("id").asString();
        String newer =
                open(unique("agent"), "[\"approvers\"]", 1, "node-a").get("id").asString();
        String denied =
                open(unique("agent"), "[\"approvers\"]", 1, "node-a").get("id").asString();
        approver("rv-alice").postJson("/api/v1/reviews/" + denied + "/deny", "{}");

        JsonNode pending = approver("rv-alice")
                .get("/api/v1/reviews?status=PENDING&size=200")
                .json();
        List<String> pendingIds = ids(pending.get("items"));
        assertThat(pendingIds).doesNotContain(denied);
        assertThat(pendingIds.indexOf(newer)).isLessThan(pendingIds.indexOf(older));
        assertThat(pending.get("size").asInt()).isEqualTo(200);
        assertThat(pending.get("totalItems").asLong()).isGreaterThanOrEqualTo(2);

        JsonNode all = approver("rv-alice").get("/api/v1/reviews?size=200").json();
        assertThat(ids(all.get("items"))).contains(denied, newer, older);
        JsonNode firstOnly = approver("rv-alice").get("/api/v1/reviews?size=1").json();
        assertThat(firstOnly.get("items").size()).isEqualTo(1);
    }

    @Test
    void getWhenUnknownThenNotFound() {
        String unknown = UUID.randomUUID().toString();
        assertThat(approver("rv-alice").get("/api/v1/reviews/" + unknown).status())
                .isEqualTo(404);
        assertThat(proxy().get("/api/v1/proxy/reviews/" + unknown + "?wait=5").status())
                .isEqualTo(404);
        assertThat(approver("rv-alice")
                        .postJson("/api/v1/reviews/" + unknown + "/approve", "{}")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void reviewsWhenAgentThenForbidden() {
        ApiClient agent = as("rv-agent", List.of("ai-agents", "approvers"));
        assertThat(agent.get("/api/v1/reviews").status()).isEqualTo(403);
        assertThat(agent.postJson("/api/v1/proxy/reviews", openBody("rv-agent", "[\"approvers\"]", 1, "n"))
                        .status())
                .isEqualTo(403);
    }

    @Test
    void proxyReviewsWhenApproverThenForbidden() {
        ApiClient approver = approver("rv-alice");
        assertThat(approver.postJson("/api/v1/proxy/reviews", openBody("x", "[\"approvers\"]", 1, "n"))
                        .status())
                .isEqualTo(403);
        assertThat(approver.postJson("/api/v1/proxy/reviews/consume", consumeBody("x"))
                        .status())
                .isEqualTo(403);
        assertThat(proxy().get("/api/v1/reviews").status()).isEqualTo(403);
    }

    @Test
    void openWhenInvalidThenBadRequest() {
        ApiClient proxy = proxy();
        assertThat(proxy.postJson("/api/v1/proxy/reviews", "{}").status()).isEqualTo(400);
        assertThat(proxy.postJson("/api/v1/proxy/reviews", "not json").status()).isEqualTo(400);
        Response zero = proxy.postJson("/api/v1/proxy/reviews", openBody("a", "[\"approvers\"]", 0, "n"));
        assertThat(zero.status()).isEqualTo(400);
        assertThat(zero.json().get("problems").get(0).get("path").asString()).isEqualTo("approvals");
        Response noGroups = proxy.postJson("/api/v1/proxy/reviews", openBody("a", "[]", 1, "n"));
        assertThat(noGroups.status()).isEqualTo(400);
        assertThat(noGroups.json().get("problems").get(0).get("path").asString())
                .isEqualTo("approverGroups");
        String huge = """
                {"connection": "demo-db", "subject": "a", "command": "%s", "commandHash": "%s", "rule": "r",
                 "approverGroups": ["approvers"], "approvals": 1}
                """.formatted("x".repeat(64 * 1024 + 1), "a".repeat(64));
        Response tooLong = proxy.postJson("/api/v1/proxy/reviews", huge);
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().get("problems").get(0).get("path").asString()).isEqualTo("command");

        String id =
                open(unique("agent"), "[\"approvers\"]", 1, "node-a").get("id").asString();
        assertThat(proxy.get("/api/v1/proxy/reviews/" + id + "?wait=soon").status())
                .isEqualTo(400);
        assertThat(proxy.get("/api/v1/proxy/reviews/not-a-uuid").status()).isEqualTo(400);
        assertThat(proxy.postJson("/api/v1/proxy/reviews/consume", "{}").status())
                .isEqualTo(400);
        assertThat(proxy.postJson("/api/v1/proxy/reviews/orphan", "{\"proxyNode\": \"n\"}")
                        .status())
                .isEqualTo(400);
        ApiClient approver = approver("rv-alice");
        assertThat(approver.get("/api/v1/reviews?status=MAYBE").status()).isEqualTo(400);
        assertThat(approver.get("/api/v1/reviews?size=0").status()).isEqualTo(400);
        Response longComment = approver.postJson(
                "/api/v1/reviews/" + id + "/deny", "{\"comment\": \"%s\"}".formatted("c".repeat(4097)));
        assertThat(longComment.status()).isEqualTo(400);
        assertThat(status(id)).isEqualTo("PENDING");
    }

    private JsonNode open(String subject, String approverGroups, int approvals, String proxyNode) {
        Response response =
                proxy().postJson("/api/v1/proxy/reviews", openBody(subject, approverGroups, approvals, proxyNode));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.headers().firstValue("Location"))
                .hasValue("/api/v1/proxy/reviews/" + response.json().get("id").asString());
        return response.json();
    }

    private static String openBody(String subject, String approverGroups, int approvals, String proxyNode) {
        return """
                {"connection": "demo-db", "subject": "%s", "groups": ["ai-agents"], "clientId": "%s",
                 "command": "DELETE FROM customers", "commandHash": "%s", "rule": "unscoped-writes",
                 "policy": "demo-guardrails", "approverGroups": %s, "approvals": %d,
                 "sessionId": "%s", "proxyNode": "%s"}
                """.formatted(subject, subject, hash(), approverGroups, approvals, UUID.randomUUID(), proxyNode);
    }

    private static String consumeBody(String subject) {
        return "{\"subject\": \"%s\", \"connection\": \"demo-db\", \"commandHash\": \"%s\"}".formatted(subject, hash());
    }

    private static String hash() {
        return "ab".repeat(32);
    }

    private ApiClient proxy() {
        return as("rv-proxy", List.of("proxies"));
    }

    private ApiClient approver(String name) {
        return as(name, List.of("approvers"));
    }

    private String status(String id) {
        return approver("rv-reader")
                .get("/api/v1/reviews/" + id)
                .json()
                .get("status")
                .asString();
    }

    private static List<String> ids(JsonNode items) {
        return items.valueStream().map(n -> n.get("id").asString()).toList();
    }

    private static String unique(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }
}
