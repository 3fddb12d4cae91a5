package dev.portcullis.proxy.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

class EventSpoolTests {

    private static final Duration GUARD = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));

    private final List<EventSpool> opened = new ArrayList<>();

    @AfterEach
    void closeSpools() {
        opened.forEach(EventSpool::halt);
    }

    private EventSpool open(long segmentBytes) {
        EventSpool spool =
                EventSpool.open(directory, segmentBytes, 1L << 30, 1L << 26, clock, new SimpleMeterRegistry());
        spool.start();
        opened.add(spool);
        return spool;
    }

    @Test
    void appendWhenFlushedThenBatchesHoldEveryLineInOrder() {
        assertTimeoutPreemptively(GUARD, () -> {
            EventSpool spool = open(EventSpool.DEFAULT_SEGMENT_BYTES);
            List<String> lines = SpoolFixtures.chain(2500, 1_000_000);
            lines.forEach(spool::append);

            assertThat(spool.flush(GUARD)).isTrue();

            assertThat(SpoolFixtures.drain(spool)).containsExactlyElementsOf(lines);
            assertThat(spool.unacknowledgedBytes()).isZero();
        });
    }

    @Test
    void awaitBatchWhenMoreThanBatchSizeThenSplitsWithoutGaps() {
        assertTimeoutPreemptively(GUARD, () -> {
            EventSpool spool = open(EventSpool.DEFAULT_SEGMENT_BYTES);
            List<String> lines = SpoolFixtures.chain(25, 1_000_000);
            lines.forEach(spool::append);
            spool.flush(GUARD);

            EventSpool.Batch first = spool.awaitBatch(10, 1 << 20, Duration.ZERO);
            EventSpool.Batch again = spool.awaitBatch(10, 1 << 20, Duration.ZERO);
            spool.acknowledge(first);
            EventSpool.Batch second = spool.awaitBatch(10, 200, Duration.ZERO);

            assertThat(first.lines()).containsExactlyElementsOf(lines.subList(0, 10));
            assertThat(again.lines()).as("not acknowledged: read again").isEqualTo(first.lines());
            assertThat(second.lines()).as("one line even over maxBytes").containsExactly(lines.get(10));
        });
    }

    @Test
    void openWhenCursorPersistedThenResumesAfterIt() {
        assertTimeoutPreemptively(GUARD, () -> {
            EventSpool spool = open(EventSpool.DEFAULT_SEGMENT_BYTES);
            List<String> lines = SpoolFixtures.chain(30, 1_000_000);
            lines.forEach(spool::append);
            spool.flush(GUARD);
            spool.acknowledge(spool.awaitBatch(12, 1 << 20, Duration.ZERO));
            spool.close();

            EventSpool reopened = open(EventSpool.DEFAULT_SEGMENT_BYTES);

            assertThat(SpoolFixtures.drain(reopened)).containsExactlyElementsOf(lines.subList(12, 30));
        });
    }

    @Test
    void openWhenCrashedWithTornLineThenDeliversEveryCompleteLineOnceAndKeepsAppending() {
        assertTimeoutPreemptively(GUARD, () -> {
            EventSpool spool = open(4096);
            List<String> before = SpoolFixtures.chain(200, 1_000_000);
            before.forEach(spool::append);
            spool.flush(GUARD);
            // A batch stops at a segment's end, so it may hold fewer than 50.
            EventSpool.Batch delivered = spool.awaitBatch(50, 1 << 20, Duration.ZERO);
            spool.acknowledge(delivered);
            spool.halt();
            Path last = lastSegment();
            String torn = SpoolFixtures.chain(1, 2_000_000).get(0);
            Files.writeString(
                    last, torn.substring(0, torn.length() / 2), StandardCharsets.UTF_8, StandardOpenOption.APPEND);

            EventSpool recovered = open(4096);
            assertThat(Files.readString(last, StandardCharsets.UTF_8)).endsWith("}\n");
            List<String> after = SpoolFixtures.chain(40, 3_000_000);
            after.forEach(recovered::append);
            recovered.flush(GUARD);

            List<String> expected = new ArrayList<>(before.subList(delivered.size(), 200));
            expected.addAll(after);
            assertThat(SpoolFixtures.drain(recovered)).containsExactlyElementsOf(expected);
        });
    }

    @Test
    void openWhenCrashCutALineInTheMiddleOfASegmentThenKeepsOnlyThePrefix() {
        assertTimeoutPreemptively(GUARD, () -> {
            EventSpool spool = open(EventSpool.DEFAULT_SEGMENT_BYTES);
            List<String> lines = SpoolFixtures.chain(10, 1_000_000);
            lines.forEach(spool::append);
            spool.flush(GUARD);
            spool.halt();
            // A write cut short leaves zeros where a line should be; the lines after it must go too, or the
            // session's chain would have a hole.
            Path segment = lastSegment();
            byte[] bytes = Files.readAllBytes(segment);
            int sixth = nthLineStart(bytes, 6);
            for (int i = sixth; i < sixth + 10; i++) {
                bytes[i] = 0;
            }
            Files.write(segment, bytes);

            EventSpool recovered = open(EventSpool.DEFAULT_SEGMENT_BYTES);

            assertThat(SpoolFixtures.drain(recovered)).containsExactlyElementsOf(lines.subList(0, 6));
        });
    }

    @Test
    void acknowledgeWhenSegmentsRolledThenDeletesDeliveredSegments() {
        assertTimeoutPreemptively(GUARD, () -> {
            EventSpool spool = open(2048);
            for (int round = 0; round < 20; round++) {
                SpoolFixtures.chain(10, 1_000_000).forEach(spool::append);
                spool.flush(GUARD);
            }
            assertThat(segments()).hasSizeGreaterThan(3);

            assertThat(SpoolFixtures.drain(spool)).hasSize(200);

            assertThat(segments()).hasSizeLessThanOrEqualTo(2);
            assertThat(spool.unacknowledgedBytes()).isZero();
        });
    }

    @Test
    void gaugesWhenEventsWaitThenBytesAndLagShowIt() {
        assertTimeoutPreemptively(GUARD, () -> {
            EventSpool spool = open(EventSpool.DEFAULT_SEGMENT_BYTES);
            assertThat(spool.lagSeconds()).isZero();
            List<String> lines = SpoolFixtures.chain(3, 1_000_000);
            lines.forEach(spool::append);
            spool.flush(GUARD);
            clock.advance(Duration.ofSeconds(42));

            long expectedBytes = lines.stream()
                    .mapToLong(l -> l.getBytes(StandardCharsets.UTF_8).length + 1)
                    .sum();
            assertThat(spool.unacknowledgedBytes()).isEqualTo(expectedBytes);
            assertThat(spool.lagSeconds()).isEqualTo(42.0);

            SpoolFixtures.drain(spool);
            assertThat(spool.unacknowledgedBytes()).isZero();
            assertThat(spool.lagSeconds()).isZero();
        });
    }

    @Test
    void refusesNewSessionsWhenUnacknowledgedOverLimitThenTrueUntilAcknowledged() {
        assertTimeoutPreemptively(GUARD, () -> {
            EventSpool spool = EventSpool.open(directory, 1 << 20, 1000, 1L << 26, clock, new SimpleMeterRegistry());
            spool.start();
            opened.add(spool);
            SpoolFixtures.chain(20, 1_000_000).forEach(spool::append);
            spool.flush(GUARD);

            assertThat(spool.refusesNewSessions()).isTrue();
            SpoolFixtures.drain(spool);
            assertThat(spool.refusesNewSessions()).isFalse();
        });
    }

    @Test
    void appendWhenQueueOverItsLimitOnEventLoopThenEnqueuesWithoutWaitingAndRefusesNewSessions() {
        assertTimeoutPreemptively(GUARD, () -> {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            // Not started: nothing drains the queue, so a blocking append would hang here.
            EventSpool spool = EventSpool.open(directory, 1 << 20, 1L << 30, 100, clock, meters);
            opened.add(spool);
            List<String> lines = SpoolFixtures.chain(5, 1_000_000);

            Flux.fromIterable(lines)
                    .publishOn(Schedulers.parallel())
                    .doOnNext(spool::append)
                    .blockLast();

            assertThat(meters.counter("portcullis.spool.queue.overflows").count())
                    .isGreaterThan(0);
            assertThat(spool.refusesNewSessions()).isTrue();
            spool.start();
            assertThat(spool.flush(GUARD)).isTrue();
            assertThat(spool.refusesNewSessions()).isFalse();
            assertThat(SpoolFixtures.drain(spool)).containsExactlyElementsOf(lines);
        });
    }

    @Test
    void appendWhenEventsTrickleInThenForcedOncePerCommitIntervalNotOncePerEvent() {
        assertTimeoutPreemptively(GUARD, () -> {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            EventSpool spool =
                    EventSpool.open(directory, 1 << 20, 1L << 30, 1L << 26, Duration.ofMillis(500), clock, meters);
            spool.start();
            opened.add(spool);
            List<String> lines = SpoolFixtures.chain(40, 1_000_000);
            spool.append(lines.get(0));
            assertThat(spool.flush(GUARD)).isTrue();

            // One at a time, each after the writer could have taken the one before: without a commit interval each
            // would be a write and an fsync of its own.
            for (String line : lines.subList(1, lines.size())) {
                spool.append(line);
                Thread.sleep(2);
            }
            assertThat(spool.flush(GUARD)).isTrue();

            assertThat(meters.counter("portcullis.spool.commits").count()).isBetween(2.0, 10.0);
            assertThat(SpoolFixtures.drain(spool)).containsExactlyElementsOf(lines);
        });
    }

    @Test
    void appendWhenBytesDoNotEndALineThenRefusedAndNothingQueued() {
        assertTimeoutPreemptively(GUARD, () -> {
            EventSpool spool = open(EventSpool.DEFAULT_SEGMENT_BYTES);
            List<String> lines = SpoolFixtures.chain(2, 1_000_000);

            assertThatThrownBy(() -> spool.append(lines.get(0).getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("line break");
            assertThatThrownBy(() -> spool.append(new byte[0])).isInstanceOf(IllegalArgumentException.class);
            // A line glued to the next would corrupt both; what was refused left no trace.
            spool.append((lines.get(0) + "\n").getBytes(StandardCharsets.UTF_8));
            spool.append(lines.get(1));
            assertThat(spool.flush(GUARD)).isTrue();
            assertThat(SpoolFixtures.drain(spool)).containsExactlyElementsOf(lines);
        });
    }

    @Test
    void appendWhenClosedThenThrows() {
        EventSpool spool = open(EventSpool.DEFAULT_SEGMENT_BYTES);
        spool.close();

        assertThatThrownBy(() -> spool.append("{}")).isInstanceOf(IllegalStateException.class);
    }

    private Path lastSegment() throws IOException {
        List<Path> all = segments();
        // The newest file is the empty one a halted spool had just opened; the data sits in the one before.
        for (int i = all.size() - 1; i >= 0; i--) {
            if (Files.size(all.get(i)) > 0) {
                return all.get(i);
            }
        }
        throw new AssertionError("no segment with data");
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList();
        }
    }

    private static int nthLineStart(byte[] bytes, int n) {
        int line = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (line == n) {
                return i;
            }
            if (bytes[i] == '\n') {
                line++;
            }
        }
        throw new AssertionError("fewer than " + n + " lines");
    }
}
