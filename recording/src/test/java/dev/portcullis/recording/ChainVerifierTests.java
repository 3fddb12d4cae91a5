package dev.portcullis.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ChainVerifierTests {

    private static final UUID SESSION = UUID.fromString("5b0c1c5e-6a52-4a43-9f0a-0a4c2b0e8b11");

    private static List<SessionEvent> chain(int n) {
        List<SessionEvent> events = new ArrayList<>();
        SessionEvent last = null;
        for (int i = 0; i < n; i++) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("path", "/customers/" + i);
            payload.put("n", i);
            last = SessionEvent.next(last, SESSION, EventTypes.HTTP_REQUEST, 1_700_000_000_000_000L + i, payload);
            events.add(last);
        }
        return events;
    }

    private static ChainVerifier.Result verify(List<SessionEvent> events, Long lastSeq, String lastHash) {
        ChainVerifier verifier = new ChainVerifier();
        events.forEach(verifier::accept);
        return verifier.finish(lastSeq, lastHash);
    }

    @Test
    void verifyWhenUntouchedThenValid() {
        List<SessionEvent> events = chain(5);
        ChainVerifier.Result result = verify(events, 5L, events.get(4).hash());
        assertThat(result.valid()).isTrue();
        assertThat(result.eventCount()).isEqualTo(5);
        assertThat(result.firstBadSeq()).isNull();
    }

    @Test
    void verifyWhenPayloadEditedThenThatEvent() {
        List<SessionEvent> events = chain(5);
        SessionEvent e = events.get(2);
        Map<String, Object> edited = new LinkedHashMap<>(e.payload());
        edited.put("path", "/customers/innocent");
        events.set(2, new SessionEvent(e.session(), e.seq(), e.type(), e.atMicros(), edited, e.prevHash(), e.hash()));

        ChainVerifier.Result result = verify(events, 5L, events.get(4).hash());
        assertThat(result.valid()).isFalse();
        assertThat(result.firstBadSeq()).isEqualTo(3);
        assertThat(result.problem()).contains("hash");
    }

    @Test
    void verifyWhenTimestampEditedThenThatEvent() {
        List<SessionEvent> events = chain(3);
        SessionEvent e = events.get(1);
        events.set(
                1,
                new SessionEvent(
                        e.session(), e.seq(), e.type(), e.atMicros() + 1, e.payload(), e.prevHash(), e.hash()));
        assertThat(verify(events, 3L, events.get(2).hash()).firstBadSeq()).isEqualTo(2);
    }

    @Test
    void verifyWhenRowDeletedThenTheMissingNumber() {
        List<SessionEvent> events = chain(5);
        events.remove(1);
        assertThat(verify(events, 5L, chain(5).get(4).hash()).firstBadSeq()).isEqualTo(2);
    }

    @Test
    void verifyWhenLastRowsDeletedThenTheFirstMissingNumber() {
        List<SessionEvent> events = chain(5);
        String lastHash = events.get(4).hash();
        events.remove(4);
        events.remove(3);
        ChainVerifier.Result result = verify(events, 5L, lastHash);
        assertThat(result.valid()).isFalse();
        assertThat(result.firstBadSeq()).isEqualTo(4);
    }

    @Test
    void verifyWhenRowsSwappedThenTheFirstOfThem() {
        List<SessionEvent> events = chain(5);
        SessionEvent third = events.get(2);
        SessionEvent fourth = events.get(3);
        // Swap the contents but keep the sequence numbers in place, as an UPDATE of two rows would.
        events.set(
                2,
                new SessionEvent(
                        SESSION,
                        3,
                        fourth.type(),
                        fourth.atMicros(),
                        fourth.payload(),
                        fourth.prevHash(),
                        fourth.hash()));
        events.set(
                3,
                new SessionEvent(
                        SESSION, 4, third.type(), third.atMicros(), third.payload(), third.prevHash(), third.hash()));
        assertThat(verify(events, 5L, events.get(4).hash()).firstBadSeq()).isEqualTo(3);
    }

    @Test
    void verifyWhenRowsReorderedThenOutOfOrder() {
        List<SessionEvent> events = chain(4);
        events.add(1, events.remove(2));
        ChainVerifier.Result result = verify(events, 4L, null);
        assertThat(result.firstBadSeq()).isEqualTo(2);
    }

    @Test
    void verifyWhenWholeChainRehashedFromAnEditThenLastHashGivesItAway() {
        List<SessionEvent> original = chain(3);
        List<SessionEvent> forged = new ArrayList<>();
        SessionEvent last = null;
        for (SessionEvent e : original) {
            Map<String, Object> payload = new LinkedHashMap<>(e.payload());
            payload.put("path", "/forged");
            last = SessionEvent.next(last, SESSION, e.type(), e.atMicros(), payload);
            forged.add(last);
        }
        ChainVerifier.Result result = verify(forged, 3L, original.get(2).hash());
        assertThat(result.valid()).isFalse();
        assertThat(result.firstBadSeq()).isEqualTo(3);
    }

    @Test
    void acceptWhenContinuingFromStoredStateThenChecksTheLink() {
        List<SessionEvent> events = chain(4);
        ChainVerifier continued = new ChainVerifier(2, events.get(1).hash());
        assertThat(continued.accept(events.get(2))).isEmpty();
        assertThat(continued.accept(events.get(3))).isEmpty();

        ChainVerifier wrongLink = new ChainVerifier(2, events.get(0).hash());
        assertThat(wrongLink.accept(events.get(2))).get().asString().contains("not linked");
    }
}
