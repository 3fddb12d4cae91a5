package dev.portcullis.controlplane.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.controlplane.ApiClient;
import dev.portcullis.controlplane.ApiIntegrationTest;
import dev.portcullis.recording.CanonicalJson;
import dev.portcullis.recording.EventTypes;
import dev.portcullis.recording.SessionEvent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

class SessionApiIntegrationTests extends ApiIntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    private ApiClient proxy() {
        return as("sessions-proxy", List.of("proxies"));
    }

    private ApiClient auditor() {
        return as("sessions-auditor", List.of("auditors"));
    }

    private JsonNode ingest(String body) {
        ApiClient.Response response = proxy().postJson("/api/v1/proxy/events", body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private JsonNode verify(UUID id) {
        ApiClient.Response response = auditor().get("/api/v1/sessions/" + id + "/verify");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private JsonNode view(UUID id) {
        ApiClient.Response response = auditor().get("/api/v1/sessions/" + id);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private TestSessions ingested(TestSessions session) {
        JsonNode answer = ingest(session.batch());
        assertThat(answer.get("accepted").asInt()).isEqualTo(session.events().size());
        return session;
    }

    @Test
    void ingestWhenRealChainThenStoredCountedAndValid() {
        TestSessions session = ingested(TestSessions.sixEvents("agent-view", "api-view"));

        JsonNode view = view(session.id());
        assertThat(view.get("subject").asString()).isEqualTo("agent-view");
        assertThat(view.get("groups").get(1).asString()).isEqualTo("contractors");
        assertThat(view.get("clientId").asString()).isEqualTo("agent-view-client");
        assertThat(view.get("connection").asString()).isEqualTo("api-view");
        assertThat(view.get("type").asString()).isEqualTo("HTTP");
        assertThat(view.get("proxyNode").asString()).isEqualTo("proxy-a");
        assertThat(view.get("eventCount").asLong()).isEqualTo(6);
        assertThat(view.get("counts").get("allowed").asLong()).isEqualTo(1);
        assertThat(view.get("counts").get("masked").asLong()).isEqualTo(2);
        assertThat(view.get("endReason").asString()).isEqualTo("closed");
        assertThat(view.get("endedAt").isNull()).isFalse();
        assertThat(view.get("chainValid").asBoolean()).isTrue();
        assertThat(view.get("firstBadSeq").isNull()).isTrue();
        assertThat(view.get("legalHold").asBoolean()).isFalse();
        assertThat(Instant.parse(view.get("startedAt").asString()))
                .isEqualTo(Instant.EPOCH.plus(session.event(1).atMicros(), ChronoUnit.MICROS));

        JsonNode verify = verify(session.id());
        assertThat(verify.get("valid").asBoolean()).isTrue();
        assertThat(verify.get("eventCount").asLong()).isEqualTo(6);
        assertThat(verify.get("firstBadSeq").isNull()).isTrue();
    }

    @Test
    void eventsWhenPagedThenInSeqOrderWithMicroseconds() {
        TestSessions session = ingested(TestSessions.sixEvents("agent-events", "api-events"));

        JsonNode first = auditor()
                .get("/api/v1/sessions/" + session.id() + "/events?limit=4")
                .json();
        assertThat(first.get("items")).hasSize(4);
        assertThat(first.get("nextAfterSeq").asLong()).isEqualTo(4);
        JsonNode item = first.get("items").get(1);
        SessionEvent request = session.event(2);
        assertThat(item.get("seq").asLong()).isEqualTo(2);
        assertThat(item.get("type").asString()).isEqualTo(EventTypes.HTTP_REQUEST);
        assertThat(item.get("atMicros").asLong()).isEqualTo(request.atMicros());
        assertThat(item.get("at").asString())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z")
                .isEqualTo(Instant.EPOCH
                        .plus(request.atMicros(), ChronoUnit.MICROS)
                        .toString()
                        .replaceFirst("(\\.\\d{6})\\d*Z$", "$1Z"));
        assertThat(item.get("payload").get("command").asString()).isEqualTo("GET /customers/42");
        assertThat(item.get("prevHash").asString()).isEqualTo(session.event(1).hash());
        assertThat(item.get("hash").asString()).isEqualTo(request.hash());

        JsonNode rest = auditor()
                .get("/api/v1/sessions/" + session.id() + "/events?afterSeq=4&limit=4")
                .json();
        assertThat(rest.get("items")).hasSize(2);
        assertThat(rest.get("items").get(0).get("seq").asLong()).isEqualTo(5);
        assertThat(rest.get("nextAfterSeq").isNull()).isTrue();
    }

    @Test
    void ingestWhenSameBatchTwiceThenSecondIsAllDuplicates() {
        TestSessions session = TestSessions.sixEvents("agent-dup", "api-dup");
        assertThat(ingest(session.batch()).get("accepted").asInt()).isEqualTo(6);

        JsonNode again = ingest(session.batch());
        assertThat(again.get("accepted").asInt()).isZero();
        assertThat(again.get("duplicates").asInt()).isEqualTo(6);
        assertThat(again.get("broken")).isEmpty();
        assertThat(view(session.id()).get("eventCount").asLong()).isEqualTo(6);
        assertThat(view(session.id()).get("chainValid").asBoolean()).isTrue();
        assertThat(verify(session.id()).get("valid").asBoolean()).isTrue();
    }

    @Test
    void ingestWhenSplitOverBatchesThenChainContinues() {
        TestSessions session = TestSessions.sixEvents("agent-split", "api-split");
        List<SessionEvent> events = session.events();
        ingest(TestSessions.batch(events.subList(0, 2)));
        JsonNode second =
                ingest(TestSessions.batch(List.of(events.get(5), events.get(3), events.get(2), events.get(4))));
        assertThat(second.get("accepted").asInt()).isEqualTo(4);
        assertThat(second.get("broken")).isEmpty();
        assertThat(view(session.id()).get("chainValid").asBoolean()).isTrue();
        assertThat(verify(session.id()).get("valid").asBoolean()).isTrue();
    }

    @Test
    void ingestWhenPrevHashWrongThenStoredFlaggedReportedAndAudited() {
        TestSessions session = TestSessions.start("agent-forged", "api-forged")
                .request("GET", "/customers/1")
                .decision("ALLOW");
        List<SessionEvent> events = new ArrayList<>(session.events());
        SessionEvent good = events.get(2);
        // A proxy that links event 3 to the wrong predecessor (hashing it honestly otherwise).
        String wrongPrev = "0".repeat(64);
        events.set(
                2,
                new SessionEvent(
                        good.session(),
                        3,
                        good.type(),
                        good.atMicros(),
                        good.payload(),
                        wrongPrev,
                        SessionEvent.hash(good.session(), 3, good.type(), good.atMicros(), good.payload(), wrongPrev)));
        events.add(SessionEvent.next(
                events.get(2), session.id(), EventTypes.SESSION_END, good.atMicros() + 5, Map.of("reason", "closed")));

        JsonNode answer = ingest(TestSessions.batch(events));
        assertThat(answer.get("accepted").asInt()).isEqualTo(4);
        assertThat(answer.get("broken")).hasSize(1);
        assertThat(answer.get("broken").get(0).asString())
                .isEqualTo(session.id().toString());

        JsonNode view = view(session.id());
        assertThat(view.get("chainValid").asBoolean()).isFalse();
        assertThat(view.get("firstBadSeq").asLong()).isEqualTo(3);
        assertThat(view.get("eventCount").asLong()).isEqualTo(4);
        JsonNode verify = verify(session.id());
        assertThat(verify.get("valid").asBoolean()).isFalse();
        assertThat(verify.get("firstBadSeq").asLong()).isEqualTo(3);

        JsonNode audit = admin().get("/api/v1/audit-log?resourceType=session&resourceName=" + session.id())
                .json();
        assertThat(audit.get("items")).hasSize(1);
        assertThat(audit.get("items").get(0).get("action").asString()).isEqualTo("session.chain-broken");
        assertThat(audit.get("items").get(0).get("actor").asString()).isEqualTo("sessions-proxy");
        assertThat(audit.get("items").get(0).get("after").get("firstBadSeq").asLong())
                .isEqualTo(3);
    }

    @Test
    void ingestWhenResentWithDifferentHashThenStoredOneKeptAndFlagged() {
        TestSessions session = ingested(TestSessions.sixEvents("agent-conflict", "api-conflict"));
        SessionEvent original = session.event(4);
        Map<String, Object> altered = new LinkedHashMap<>(original.payload());
        altered.put("masked", 0);
        SessionEvent rewritten = new SessionEvent(
                session.id(),
                4,
                original.type(),
                original.atMicros(),
                altered,
                original.prevHash(),
                SessionEvent.hash(session.id(), 4, original.type(), original.atMicros(), altered, original.prevHash()));

        JsonNode answer = ingest(TestSessions.batch(List.of(rewritten)));
        assertThat(answer.get("accepted").asInt()).isZero();
        assertThat(answer.get("duplicates").asInt()).isEqualTo(1);
        assertThat(answer.get("broken").get(0).asString())
                .isEqualTo(session.id().toString());
        JsonNode view = view(session.id());
        assertThat(view.get("chainValid").asBoolean()).isFalse();
        assertThat(view.get("firstBadSeq").asLong()).isEqualTo(4);
        assertThat(view.get("counts").get("masked").asLong()).isEqualTo(2);
        // What is stored is still the chain as it first arrived.
        assertThat(verify(session.id()).get("valid").asBoolean()).isTrue();
    }

    @Test
    void ingestWhenNoStartThenPlaceholderSessionFlagged() {
        TestSessions session = TestSessions.sixEvents("agent-nostart", "api-nostart");
        List<SessionEvent> events = session.events().subList(2, 6);

        JsonNode answer = ingest(TestSessions.batch(events));
        assertThat(answer.get("accepted").asInt()).isEqualTo(4);
        assertThat(answer.get("broken").get(0).asString())
                .isEqualTo(session.id().toString());
        JsonNode view = view(session.id());
        assertThat(view.get("subject").asString()).isEqualTo("unknown");
        assertThat(view.get("connection").asString()).isEqualTo("unknown");
        assertThat(view.get("proxyNode").asString()).isEqualTo("proxy-a");
        assertThat(view.get("chainValid").asBoolean()).isFalse();
        assertThat(view.get("firstBadSeq").asLong()).isEqualTo(1);
        assertThat(view.get("eventCount").asLong()).isEqualTo(4);
        assertThat(Instant.parse(view.get("startedAt").asString()))
                .isEqualTo(Instant.EPOCH.plus(session.event(3).atMicros(), ChronoUnit.MICROS));
        assertThat(verify(session.id()).get("firstBadSeq").asLong()).isEqualTo(1);
    }

    @Test
    void ingestWhenMalformedThen400AndNothingStored() {
        TestSessions session = TestSessions.sixEvents("agent-bad", "api-bad");
        String good = session.event(1).toJson();
        String missingHash = session.event(2).toJson().replaceFirst("\"hash\":\"[0-9a-f]+\",", "");

        ApiClient.Response missing = proxy().postJson(
                        "/api/v1/proxy/events", "{\"proxyNode\":\"p\",\"events\":[" + good + "," + missingHash + "]}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(missing.json().get("problems").get(0).get("path").asString()).isEqualTo("events[1]");

        assertThat(proxy().postJson("/api/v1/proxy/events", "{\"proxyNode\":\"p\",\"events\":[" + good)
                        .status())
                .isEqualTo(400);
        assertThat(proxy().postJson("/api/v1/proxy/events", "{\"events\":[" + good + "]}")
                        .status())
                .isEqualTo(400);
        assertThat(proxy().postJson("/api/v1/proxy/events", "[]").status()).isEqualTo(400);
        assertThat(auditor().get("/api/v1/sessions/" + session.id()).status()).isEqualTo(404);
    }

    @Test
    void ingestWhenMoreThanMaxBatchThen413() {
        TestSessions session = TestSessions.start("agent-big", "api-big");
        for (int i = 0; i < 5000; i++) {
            session.add(EventTypes.ERROR, Map.of("status", 502));
        }
        ApiClient.Response response = proxy().postJson("/api/v1/proxy/events", session.batch());
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json().get("title").asString()).isEqualTo("Content too large");
        assertThat(auditor().get("/api/v1/sessions/" + session.id()).status()).isEqualTo(404);
    }

    @Test
    void verifyWhenPayloadEditedThenFirstBadSeqIsThatEvent() {
        TestSessions session = ingested(TestSessions.sixEvents("agent-t1", "api-t1"));
        jdbc.update(
                "update session_events set payload = jsonb_set(payload::jsonb, '{reason}', '\"edited\"')::json"
                        + " where session_id = ?"
                        + " and seq = 3",
                session.id());
        assertBadAt(session.id(), 3);
    }

    @Test
    void verifyWhenMiddleEventDeletedThenFirstBadSeqIsIt() {
        TestSessions session = ingested(TestSessions.sixEvents("agent-t2", "api-t2"));
        jdbc.update("delete from session_events where session_id = ? and seq = 2", session.id());
        assertBadAt(session.id(), 2);
    }

    @Test
    void verifyWhenLastEventDeletedThenFirstBadSeqIsIt() {
        TestSessions session = ingested(TestSessions.sixEvents("agent-t3", "api-t3"));
        jdbc.update("delete from session_events where session_id = ? and seq = 6", session.id());
        assertBadAt(session.id(), 6);
    }

    @Test
    void verifyWhenTwoEventsSwappedThenFirstBadSeqIsTheFirstOfThem() {
        TestSessions session = ingested(TestSessions.sixEvents("agent-t4", "api-t4"));
        jdbc.update(
                "update session_events e set payload = o.payload, hash = o.hash, prev_hash = o.prev_hash,"
                        + " type = o.type, event_time = o.event_time from session_events o"
                        + " where e.session_id = ? and o.session_id = e.session_id"
                        + " and ((e.seq = 3 and o.seq = 4) or (e.seq = 4 and o.seq = 3))",
                session.id());
        assertThat(jdbc.queryForObject(
                        "select type from session_events where session_id = ? and seq = 3", String.class, session.id()))
                .isEqualTo(EventTypes.HTTP_RESPONSE);
        assertBadAt(session.id(), 3);
    }

    @Test
    void verifyWhenEventTimeEditedThenFirstBadSeqIsThatEvent() {
        TestSessions session = ingested(TestSessions.sixEvents("agent-t5", "api-t5"));
        jdbc.update(
                "update session_events set event_time = event_time + interval '1 microsecond' where session_id = ?"
                        + " and seq = 5",
                session.id());
        assertBadAt(session.id(), 5);
    }

    private void assertBadAt(UUID id, long seq) {
        JsonNode verify = verify(id);
        assertThat(verify.get("valid").asBoolean()).isFalse();
        assertThat(verify.get("firstBadSeq").asLong()).isEqualTo(seq);
        assertThat(verify.get("problem").asString()).isNotBlank();
    }

    @Test
    void payloadWhenStoredAndReadBackThenItIsTheHashedCanonicalTextAndHashesTheSame() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("zeta", "last key first");
        payload.put("nested", Map.of("b", List.of(1, 2, Map.of("deep", List.of())), "a", Map.of()));
        payload.put("unicode", "Grüße, 東京, emoji 🙂, quote \" backslash \\ tab \t newline \n");
        payload.put(
                "integers",
                List.of(0, -1, 2147483648L, Long.MAX_VALUE, new BigInteger("123456789012345678901234567890")));
        payload.put("decimals", List.of(new BigDecimal("0.1"), new BigDecimal("-2.5"), new BigDecimal("1e-7"), 3.25));
        payload.put("flags", List.of(true, false));
        payload.put("nothing", null);
        payload.put("", "empty key");
        TestSessions session = TestSessions.start("agent-jsonb", "api-jsonb").add(EventTypes.HTTP_RESPONSE, payload);
        ingested(session);

        String stored = jdbc.queryForObject(
                "select payload::text from session_events where session_id = ? and seq = 2",
                String.class,
                session.id());
        Map<String, Object> read = EventBatchReader.JSON.readValue(stored, new TypeReference<Map<String, Object>>() {});
        // Kept as the text that was hashed, not re-encoded by the database.
        assertThat(stored).isEqualTo(CanonicalJson.write(read));
        SessionEvent original = session.event(2);
        assertThat(SessionEvent.hash(session.id(), 2, original.type(), original.atMicros(), read, original.prevHash()))
                .isEqualTo(original.hash());
        assertThat(verify(session.id()).get("valid").asBoolean()).isTrue();
    }

    @Test
    void searchWhenFilteredThenMatchingSessionsNewestFirst() {
        String subject = "agent-search-" + UUID.randomUUID();
        Instant now = Instant.now();
        TestSessions older = ingested(TestSessions.start(subject, "api-search", now.minus(2, ChronoUnit.HOURS))
                .request("GET", "/customers/42")
                .decision("ALLOW"));
        TestSessions newer = ingested(TestSessions.start(subject, "db-search", now.minus(1, ChronoUnit.HOURS))
                .request("DELETE", "/invoices/9")
                .decision("BLOCK"));

        assertThat(ids("subject=" + subject))
                .containsExactly(newer.id().toString(), older.id().toString());
        assertThat(ids("subject=" + subject + "&connection=api-search"))
                .containsExactly(older.id().toString());
        assertThat(ids("subject=" + subject + "&verdict=BLOCK"))
                .containsExactly(newer.id().toString());
        assertThat(ids("subject=" + subject + "&verdict=REVIEW")).isEmpty();
        assertThat(ids("subject=" + subject + "&q=customers"))
                .containsExactly(older.id().toString());
        assertThat(ids("subject=" + subject + "&q=GET%20customers"))
                .containsExactly(older.id().toString());
        assertThat(ids("subject=" + subject + "&q=customers%2F42"))
                .containsExactly(older.id().toString());
        assertThat(ids("subject=" + subject + "&q=customers%20invoices")).isEmpty();
        assertThat(ids("subject=" + subject + "&from=" + now.minus(90, ChronoUnit.MINUTES)))
                .containsExactly(newer.id().toString());
        assertThat(ids("subject=" + subject + "&to=" + now.minus(90, ChronoUnit.MINUTES)))
                .containsExactly(older.id().toString());

        JsonNode page = auditor()
                .get("/api/v1/sessions?subject=" + subject + "&size=1&page=1")
                .json();
        assertThat(page.get("items")).hasSize(1);
        assertThat(page.get("totalItems").asLong()).isEqualTo(2);
        assertThat(page.get("totalPages").asInt()).isEqualTo(2);
        assertThat(auditor().get("/api/v1/sessions?verdict=MAYBE").status()).isEqualTo(400);
        assertThat(auditor().get("/api/v1/sessions/" + UUID.randomUUID()).status())
                .isEqualTo(404);
    }

    private List<String> ids(String query) {
        ApiClient.Response response = auditor().get("/api/v1/sessions?" + query);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        response.json().get("items").forEach(item -> ids.add(item.get("id").asString()));
        return ids;
    }

    @Test
    void legalHoldWhenSetThenShownAndAudited() {
        TestSessions session = ingested(TestSessions.sixEvents("agent-hold", "api-hold"));
        ApiClient.Response response = auditor()
                .put("/api/v1/sessions/" + session.id() + "/legal-hold", "application/json", "{\"legalHold\":true}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("legalHold").asBoolean()).isTrue();
        assertThat(view(session.id()).get("legalHold").asBoolean()).isTrue();
        JsonNode audit = admin().get("/api/v1/audit-log?resourceType=session&resourceName=" + session.id())
                .json();
        assertThat(audit.get("items").get(0).get("action").asString()).isEqualTo("session.legal-hold");
        assertThat(audit.get("items").get(0).get("actor").asString()).isEqualTo("sessions-auditor");

        assertThat(auditor()
                        .put("/api/v1/sessions/" + session.id() + "/legal-hold", "application/json", "{}")
                        .status())
                .isEqualTo(400);
        assertThat(proxy().put(
                                "/api/v1/sessions/" + session.id() + "/legal-hold",
                                "application/json",
                                "{\"legalHold\":false}")
                        .status())
                .isEqualTo(403);
    }
}
