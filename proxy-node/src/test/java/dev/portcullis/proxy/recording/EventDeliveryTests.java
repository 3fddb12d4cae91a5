package dev.portcullis.proxy.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.portcullis.recording.SessionEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventDeliveryTests {

    private static final Duration GUARD = Duration.ofSeconds(90);

    @TempDir
    Path directory;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private final StandInControlPlane controlPlane = new StandInControlPlane();

    private EventSpool spool;

    private EventDelivery delivery;

    private void start(int batchSize) {
        start(batchSize, Duration.ZERO);
    }

    private void start(int batchSize, Duration linger) {
        spool = EventSpool.open(
                directory, 8192, 1L << 30, 1L << 26, new MutableClock(Instant.parse("2026-11-25T10:00:00Z")), meters);
        spool.start();
        delivery = new EventDelivery(
                spool,
                controlPlane::post,
                "proxy-a:8082",
                batchSize,
                Duration.ofMillis(5),
                Duration.ofMillis(40),
                linger,
                meters);
        delivery.start();
    }

    @AfterEach
    void stop() {
        if (delivery != null) {
            delivery.stop();
        }
        if (spool != null) {
            spool.halt();
        }
    }

    @Test
    void deliverWhenAcceptedThenCursorAdvancesAndEveryEventArrivesOnce() {
        assertTimeoutPreemptively(GUARD, () -> {
            start(7);
            List<String> lines = SpoolFixtures.chain(50, 1_000_000);
            lines.forEach(spool::append);

            Await.until("all delivered", () -> controlPlane.storedCount() == 50 && spool.unacknowledgedBytes() == 0);

            assertThat(controlPlane.duplicates.get()).isZero();
            assertThat(controlPlane.proxyNodes).containsOnly("proxy-a:8082");
            assertThat(controlPlane.requests.get()).isGreaterThanOrEqualTo(50 / 7);
            List<SessionEvent> chain =
                    controlPlane.sessionsInArrivalOrder().values().iterator().next();
            assertThat(chain).extracting(SessionEvent::toJson).containsExactlyElementsOf(lines);
            assertThat(meters.counter("portcullis.events.delivered").count()).isEqualTo(50.0);
        });
    }

    @Test
    void deliverWhenEventsTrickleInAfterABatchThenTheyLingerAndGoOutTogether() {
        assertTimeoutPreemptively(GUARD, () -> {
            start(1000, Duration.ofSeconds(1));
            List<String> lines = SpoolFixtures.chain(21, 1_000_000);
            spool.append(lines.get(0));
            Await.until("first event delivered", () -> controlPlane.storedCount() == 1);

            for (String line : lines.subList(1, lines.size())) {
                spool.append(line);
            }
            Await.until("all delivered", () -> controlPlane.storedCount() == 21 && spool.unacknowledgedBytes() == 0);

            // The first event went out at once; the twenty after it waited out the linger and went as one batch.
            assertThat(controlPlane.requests.get()).isEqualTo(2);
            assertThat(controlPlane.sessionsInArrivalOrder().values().iterator().next())
                    .extracting(SessionEvent::toJson)
                    .containsExactlyElementsOf(lines);
        });
    }

    @Test
    void deliverWhenControlPlaneRefusesThenCursorStaysUntilItAccepts() {
        assertTimeoutPreemptively(GUARD, () -> {
            controlPlane.downWith = 503;
            start(1000);
            SpoolFixtures.chain(10, 1_000_000).forEach(spool::append);
            spool.flush(GUARD);
            EventSpool.Position before = spool.cursor();
            long spooled = spool.unacknowledgedBytes();

            Await.until("several failed attempts", () -> controlPlane.requests.get() >= 5);
            assertThat(spool.cursor()).isEqualTo(before);
            assertThat(spool.unacknowledgedBytes()).isEqualTo(spooled);

            controlPlane.downWith = 400;
            Await.until("attempts after a 400", () -> controlPlane.requests.get() >= 8);
            assertThat(spool.cursor())
                    .as("a refused batch is kept, never skipped")
                    .isEqualTo(before);

            controlPlane.downWith = 0;
            Await.until("delivered once up", () -> spool.unacknowledgedBytes() == 0);
            assertThat(controlPlane.storedCount()).isEqualTo(10);
            assertThat(spool.cursor()).isGreaterThan(before);
        });
    }

    @Test
    void deliverWhenControlPlaneDownThenUpThenEverySessionCompleteInOrderWithoutLossOrDuplicates() {
        assertTimeoutPreemptively(GUARD, () -> {
            controlPlane.downWith = 503;
            start(13);
            List<List<String>> sessions = new ArrayList<>();
            for (int s = 0; s < 20; s++) {
                sessions.add(SpoolFixtures.chain(40, 1_000_000L * s));
            }
            // Interleaved, as concurrent sessions are spooled.
            for (int i = 0; i < 40; i++) {
                for (List<String> session : sessions) {
                    spool.append(session.get(i));
                }
            }
            spool.flush(GUARD);
            Await.until("failed attempts while down", () -> controlPlane.requests.get() >= 3);

            // Up, but answers get lost now and then: batches are sent again and must only count as duplicates.
            controlPlane.downWith = 0;
            controlPlane.loseAnswerWith = 502;
            Await.until(
                    "some answers lost", () -> controlPlane.duplicates.get() > 0 || controlPlane.storedCount() > 13);
            controlPlane.loseAnswerWith = 0;
            Await.until("all delivered", () -> spool.unacknowledgedBytes() == 0);

            Map<UUID, List<SessionEvent>> stored = controlPlane.sessionsInArrivalOrder();
            assertThat(controlPlane.storedCount()).isEqualTo(800);
            assertThat(controlPlane.duplicates.get())
                    .as("batches were sent again")
                    .isPositive();
            assertThat(stored).hasSize(20);
            for (List<String> session : sessions) {
                UUID id = SpoolFixtures.parse(session.get(0)).session();
                assertThat(stored.get(id)).extracting(SessionEvent::toJson).containsExactlyElementsOf(session);
                assertThat(SpoolFixtures.verify(stored.get(id)).valid()).isTrue();
            }
        });
    }

    @Test
    void deliverWhenRestartedThenResumesAfterTheLastAcceptedBatch() {
        assertTimeoutPreemptively(GUARD, () -> {
            start(5);
            List<String> lines = SpoolFixtures.chain(30, 1_000_000);
            lines.subList(0, 10).forEach(spool::append);
            Await.until("first part delivered", () -> controlPlane.storedCount() == 10);
            controlPlane.downWith = 503;
            lines.subList(10, 30).forEach(spool::append);
            spool.flush(GUARD);
            delivery.stop();
            spool.halt();

            controlPlane.downWith = 0;
            start(5);

            Await.until("rest delivered", () -> controlPlane.storedCount() == 30 && spool.unacknowledgedBytes() == 0);
            List<SessionEvent> chain =
                    controlPlane.sessionsInArrivalOrder().values().iterator().next();
            assertThat(chain).extracting(SessionEvent::toJson).containsExactlyElementsOf(lines);
        });
    }
}
