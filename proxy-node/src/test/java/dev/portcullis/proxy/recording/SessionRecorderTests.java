package dev.portcullis.proxy.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.portcullis.recording.EventTypes;
import dev.portcullis.recording.SessionEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

class SessionRecorderTests {

    private static final Duration GUARD = Duration.ofSeconds(90);

    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00.123456Z"));

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private final StandInControlPlane controlPlane = new StandInControlPlane();

    private SessionRecorder recorder;

    private SessionRecorder start(long spoolMaxBytes) {
        EventSpool spool = EventSpool.open(directory, 1 << 20, spoolMaxBytes, 1L << 26, clock, meters);
        EventDelivery delivery = new EventDelivery(
                spool,
                controlPlane::post,
                "proxy-a",
                1000,
                Duration.ofMillis(5),
                Duration.ofMillis(40),
                Duration.ZERO,
                meters);
        recorder = new SessionRecorder(spool, delivery, Duration.ofMinutes(5), clock, meters);
        recorder.start();
        return recorder;
    }

    @AfterEach
    void stop() {
        if (recorder != null && recorder.isRunning()) {
            recorder.stop();
        }
    }

    private static Map<String, Object> start(String subject) {
        return Map.of("subject", subject, "connection", "demo-api", "connectionType", "HTTP");
    }

    @Test
    void recordWhenManyConcurrentOnOneSessionThenChainIsContinuous() {
        assertTimeoutPreemptively(GUARD, () -> {
            start(1L << 30);
            RecordedSession session = recorder.open("token-1|conn-1", start("agent"));

            // Reactor's parallel workers are non-blocking threads, like the Netty event loop.
            Flux.range(0, 2000)
                    .parallel(4)
                    .runOn(Schedulers.parallel())
                    .doOnNext(i -> session.record(EventTypes.HTTP_REQUEST, Map.of("n", i)))
                    .sequential()
                    .blockLast();

            Await.until("all delivered", () -> controlPlane.storedCount() == 2001);
            List<SessionEvent> chain = controlPlane.sessionsInArrivalOrder().get(session.id());
            assertThat(SpoolFixtures.verify(chain).valid()).isTrue();
            assertThat(chain).extracting(SessionEvent::seq).containsExactlyElementsOf(range(1, 2001));
            assertThat(chain.get(0).type()).isEqualTo(EventTypes.SESSION_START);
            assertThat(chain.get(0).atMicros()).isEqualTo(1_795_600_800_123_456L);
            assertThat(session.eventCount()).isEqualTo(2001);
            assertThat(meters.counter("portcullis.events.recorded").count()).isEqualTo(2001.0);
        });
    }

    @Test
    void openWhenSameKeyThenSameSessionWithOneStart() {
        start(1L << 30);

        RecordedSession first = recorder.open("k", start("agent"));
        RecordedSession again = recorder.open("k", start("agent"));
        RecordedSession other = recorder.open("k2", start("agent"));

        assertThat(again).isSameAs(first);
        assertThat(other.id()).isNotEqualTo(first.id());
        assertThat(first.eventCount()).isEqualTo(1);
        assertThat(recorder.liveSessions()).isEqualTo(2);
    }

    @Test
    void openWhenSpoolFullThenNewSessionRefusedAndOpenSessionKeepsRecording() {
        assertTimeoutPreemptively(GUARD, () -> {
            controlPlane.downWith = 503;
            start(1);
            RecordedSession open = recorder.open("k1", start("agent"));
            recorder.flush(GUARD);

            assertThatThrownBy(() -> recorder.open("k2", start("agent"))).isInstanceOf(SpoolFullException.class);
            assertThat(open.record(EventTypes.HTTP_REQUEST, Map.of("path", "/x")))
                    .isTrue();
            assertThat(recorder.open("k1", start("agent"))).isSameAs(open);

            controlPlane.downWith = 0;
            Await.until(
                    "spool drained",
                    () -> meters.get("portcullis.spool.bytes").gauge().value() == 0);
            assertThat(controlPlane.storedCount()).isEqualTo(2);
            assertThat(recorder.open("k2", start("agent"))).isNotSameAs(open);
        });
    }

    @Test
    void reopenWhenSpoolFullThenAdmittedExchangeKeepsRecordingAndNothingIsLost() {
        assertTimeoutPreemptively(GUARD, () -> {
            controlPlane.downWith = 503;
            start(1);
            recorder.open("k1", start("agent"));
            recorder.flush(GUARD);
            assertThatThrownBy(() -> recorder.open("k2", start("agent"))).isInstanceOf(SpoolFullException.class);

            // An exchange admitted before the spool filled, whose session the idle sweep ended meanwhile.
            Map<String, Object> fields = start("agent");
            RecordedSession again = recorder.reopen("k2", () -> fields);

            assertThat(again.record(EventTypes.HTTP_RESPONSE, Map.of("status", 200)))
                    .isTrue();
            assertThat(again.eventCount()).isEqualTo(2);
            assertThatThrownBy(() -> recorder.open("k3", start("agent"))).isInstanceOf(SpoolFullException.class);
            controlPlane.downWith = 0;
            Await.until(
                    "spool drained",
                    () -> meters.get("portcullis.spool.bytes").gauge().value() == 0);
            assertThat(controlPlane.storedCount()).isEqualTo(3);
        });
    }

    @Test
    void sweepWhenIdleThenSessionEndsAsIdleAndItsKeyStartsANewSession() {
        assertTimeoutPreemptively(GUARD, () -> {
            start(1L << 30);
            RecordedSession idle = recorder.open("k1", start("agent"));
            clock.advance(Duration.ofMinutes(4));
            RecordedSession busy = recorder.open("k2", start("agent"));
            clock.advance(Duration.ofMinutes(2));
            busy.record(EventTypes.HTTP_REQUEST, Map.of());

            assertThat(recorder.sweepIdle()).isEqualTo(1);

            assertThat(idle.isEnded()).isTrue();
            assertThat(busy.isEnded()).isFalse();
            assertThat(idle.record(EventTypes.HTTP_REQUEST, Map.of())).isFalse();
            assertThat(recorder.open("k1", start("agent")).id()).isNotEqualTo(idle.id());
            Await.until("delivered", () -> controlPlane.storedCount() == 5);
            List<SessionEvent> chain = controlPlane.sessionsInArrivalOrder().get(idle.id());
            assertThat(chain).extracting(SessionEvent::type).containsExactly("session.start", "session.end");
            assertThat(chain.get(1).payload()).isEqualTo(Map.of("reason", "idle"));
        });
    }

    @Test
    void endSubjectWhenRevokedThenEndsThatSubjectsSessionsOnly() {
        assertTimeoutPreemptively(GUARD, () -> {
            start(1L << 30);
            RecordedSession a1 = recorder.open("a|1", start("agent-a"));
            RecordedSession a2 = recorder.open("a|2", start("agent-a"));
            RecordedSession b = recorder.open("b|1", start("agent-b"));

            assertThat(recorder.endSubject("agent-a", "revoked")).isEqualTo(2);

            assertThat(a1.isEnded()).isTrue();
            assertThat(a2.isEnded()).isTrue();
            assertThat(b.isEnded()).isFalse();
            assertThat(recorder.liveSessions()).isEqualTo(1);
            Await.until("delivered", () -> controlPlane.storedCount() == 5);
            SessionEvent last =
                    controlPlane.sessionsInArrivalOrder().get(a1.id()).get(1);
            assertThat(last.type()).isEqualTo(EventTypes.SESSION_END);
            assertThat(last.payload()).isEqualTo(Map.of("reason", "revoked"));
        });
    }

    @Test
    void stopWhenShuttingDownThenEverySessionEndsClosedAndIsOnDisk() {
        assertTimeoutPreemptively(GUARD, () -> {
            controlPlane.downWith = 503;
            start(1L << 30);
            RecordedSession first = recorder.open("k1", start("agent"));
            RecordedSession second = recorder.open("k2", start("agent"));
            first.record(EventTypes.HTTP_REQUEST, Map.of("path", "/a"));

            recorder.stop();

            assertThat(first.isEnded()).isTrue();
            assertThat(second.isEnded()).isTrue();
            assertThatThrownBy(() -> recorder.open("k3", start("agent"))).isInstanceOf(IllegalStateException.class);
            EventSpool reopened = EventSpool.open(directory, 1 << 20, 1L << 30, 1L << 26, clock, meters);
            Map<UUID, List<SessionEvent>> spooled =
                    SpoolFixtures.bySession(SpoolFixtures.parse(SpoolFixtures.drain(reopened)));
            assertThat(spooled).containsOnlyKeys(first.id(), second.id());
            for (List<SessionEvent> chain : spooled.values()) {
                assertThat(SpoolFixtures.verify(chain).valid()).isTrue();
                SessionEvent last = chain.get(chain.size() - 1);
                assertThat(last.type()).isEqualTo(EventTypes.SESSION_END);
                assertThat(last.payload()).isEqualTo(Map.of("reason", "closed"));
            }
            reopened.halt();
        });
    }

    @Test
    void recordWhenStartOrEndTypeThenRefused() {
        start(1L << 30);
        RecordedSession session = recorder.open("k", start("agent"));

        assertThatThrownBy(() -> session.record(EventTypes.SESSION_END, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> recorder.open("k2", Map.of("connection", "x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordWhenRecordingDisabledThenSessionsWorkAndNothingIsWritten() {
        recorder = new SessionRecorder(null, null, Duration.ofMinutes(5), clock, meters);
        recorder.start();

        RecordedSession session = recorder.open("k", start("agent"));

        assertThat(session.record(EventTypes.HTTP_REQUEST, Map.of())).isTrue();
        assertThat(session.end("closed")).isTrue();
        assertThat(meters.counter("portcullis.events.recorded").count()).isZero();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }
}
