package dev.portcullis.proxy.recording;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Schedulers;

/**
 * The local, append-only spool of session events: what the proxy has recorded and the control plane has not yet
 * accepted. Events survive a crash of the node once they are spooled; delivery resumes after a restart.
 *
 * <p>On disk, a folder of segment files ({@code 00000000000000000001.jsonl}, …) holding one event of canonical JSON
 * per line, rolled at about {@link #DEFAULT_SEGMENT_BYTES}, and a {@code cursor} file naming the first byte the
 * control plane has not acknowledged ({@code segment offset}), replaced atomically (temporary file, fsync, rename,
 * fsync of the folder). Segments wholly before the cursor are deleted.
 *
 * <p>One writer thread drains an in-memory queue: it writes what is queued (up to about a megabyte), forces it to disk
 * ({@link FileChannel#force}, one fsync per batch: group commit, at most one per commit interval while events trickle
 * in), and only then makes it visible to delivery. So
 * delivery never sends an event that a crash could still take back, and the control plane's view is always a prefix
 * of every session's chain.
 *
 * <p>The queue holds events that are recorded but not yet on disk. {@link #append} never blocks a non-blocking
 * (event-loop) thread: above {@link #DEFAULT_QUEUE_BYTES} such a caller still enqueues, the overflow is counted
 * ({@code portcullis.spool.queue.overflows}) and logged, and {@link #refusesNewSessions()} turns true so no new
 * session adds load until the writer catches up. Other threads wait for room instead. Nothing is ever dropped: memory
 * is bounded in practice by refusing new sessions, not by losing events of open ones.
 *
 * <p>Recovery on start: the last segment may end in a torn line (a write cut short by a crash). Its lines from the
 * cursor on are checked and the file is cut at the first line that is incomplete or not an event, so what remains is
 * a prefix of what was written. New events go to a fresh segment.
 */
final class EventSpool implements AutoCloseable {

    /** Segments roll once they reach this size. */
    static final long DEFAULT_SEGMENT_BYTES = 16L * 1024 * 1024;

    /** Events waiting for the writer above this many bytes refuse new sessions and make non-event-loop callers wait. */
    static final long DEFAULT_QUEUE_BYTES = 64L * 1024 * 1024;

    /**
     * The least time from one fsync to the next unless a full write is waiting: under a steady trickle of events the
     * writer forces at most about this often, instead of once per event, and a crash can take at most about this much
     * of the newest events.
     */
    static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(10);

    /** The most one write (and one fsync) carries. */
    private static final int WRITE_CHUNK = 1024 * 1024;

    private static final String SUFFIX = ".jsonl";

    private static final String CURSOR = "cursor";

    private static final Pattern AT = Pattern.compile("^\\{\"at\":(-?\\d+),");

    private static final Logger log = LoggerFactory.getLogger(EventSpool.class);

    /** A place in the spool: a byte offset in a segment. */
    record Position(long segment, long offset) implements Comparable<Position> {

        @Override
        public int compareTo(Position other) {
            int bySegment = Long.compare(segment, other.segment);
            return bySegment != 0 ? bySegment : Long.compare(offset, other.offset);
        }

        @Override
        public String toString() {
            return segment + " " + offset;
        }
    }

    /**
     * Spooled events after the cursor, as their lines of JSON.
     *
     * @param lines the events, without line breaks, in spool order
     * @param start where the first one starts
     * @param end where the batch ends: the cursor once the control plane has accepted it
     * @param bytes how many spool bytes the batch covers
     */
    record Batch(List<String> lines, Position start, Position end, long bytes) {

        boolean isEmpty() {
            return lines.isEmpty();
        }

        int size() {
            return lines.size();
        }
    }

    /** Since when spool bytes up to {@code end} have waited: one entry per second at most. */
    private static final class Waiting {

        private Position end;

        private final long sinceMillis;

        Waiting(Position end, long sinceMillis) {
            this.end = end;
            this.sinceMillis = sinceMillis;
        }
    }

    private final Path directory;

    private final long segmentBytes;

    private final long maxBytes;

    private final long queueMaxBytes;

    private final Clock clock;

    private final long commitIntervalNanos;

    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();

    /** Used by the writer thread only. */
    private ByteBuffer writeBuffer;

    private final AtomicLong queuedBytes = new AtomicLong();

    private final AtomicLong appended = new AtomicLong();

    private final Counter overflows;

    private final Counter commits;

    private final ReentrantLock lock = new ReentrantLock();

    /** Signalled when the writer has made lines durable and visible. */
    private final Condition written = lock.newCondition();

    // Guarded by lock.
    private final NavigableMap<Long, Long> segments = new TreeMap<>();

    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();

    private Position cursor;

    private long unacknowledgedBytes;

    private long writtenCount;

    // The writer thread's own.
    private FileChannel active;

    private long activeId;

    private long activeSize;

    private Thread writer;

    private volatile boolean closing;

    private volatile boolean halted;

    private volatile long lastOverflowWarning;

    private EventSpool(
            Path directory,
            long segmentBytes,
            long maxBytes,
            long queueMaxBytes,
            Duration commitInterval,
            Clock clock,
            MeterRegistry meters) {
        this.directory = directory;
        this.segmentBytes = segmentBytes;
        this.maxBytes = maxBytes;
        this.queueMaxBytes = queueMaxBytes;
        this.commitIntervalNanos = commitInterval.toNanos();
        this.clock = clock;
        Gauge.builder("portcullis.spool.bytes", this, EventSpool::unacknowledgedBytes)
                .description("Spooled event bytes the control plane has not yet accepted")
                .baseUnit("bytes")
                .register(meters);
        Gauge.builder("portcullis.spool.delivery.lag", this, EventSpool::lagSeconds)
                .description("Seconds since the oldest event not yet accepted by the control plane was spooled")
                .baseUnit("seconds")
                .register(meters);
        Gauge.builder("portcullis.spool.queue.bytes", queuedBytes, AtomicLong::get)
                .description("Recorded event bytes waiting in memory for the spool writer")
                .baseUnit("bytes")
                .register(meters);
        this.overflows = Counter.builder("portcullis.spool.queue.overflows")
                .description("Events queued on an event-loop thread while the spool queue was over its limit")
                .register(meters);
        this.commits = Counter.builder("portcullis.spool.commits")
                .description("Writes to the spool forced to disk (fsync), each carrying one or more events")
                .register(meters);
    }

    /**
     * Opens the spool in {@code directory}, recovering what a previous run left; call {@link #start()} to write.
     *
     * @param maxBytes unacknowledged bytes above which new sessions are refused
     * @param commitInterval the least time between two fsyncs while events trickle in (see {@link
     *     #DEFAULT_COMMIT_INTERVAL})
     */
    static EventSpool open(Path directory, long maxBytes, Duration commitInterval, Clock clock, MeterRegistry meters) {
        return open(directory, DEFAULT_SEGMENT_BYTES, maxBytes, DEFAULT_QUEUE_BYTES, commitInterval, clock, meters);
    }

    static EventSpool open(
            Path directory, long segmentBytes, long maxBytes, long queueMaxBytes, Clock clock, MeterRegistry meters) {
        return open(directory, segmentBytes, maxBytes, queueMaxBytes, Duration.ZERO, clock, meters);
    }

    static EventSpool open(
            Path directory,
            long segmentBytes,
            long maxBytes,
            long queueMaxBytes,
            Duration commitInterval,
            Clock clock,
            MeterRegistry meters) {
        EventSpool spool =
                new EventSpool(directory, segmentBytes, maxBytes, queueMaxBytes, commitInterval, clock, meters);
        try {
            spool.recover();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the event spool in " + directory, e);
        }
        return spool;
    }

    /** Starts the writer thread. */
    void start() {
        writer = new Thread(this::writeLoop, "event-spool-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Hands one event line to the writer. Returns at once on an event-loop thread; elsewhere waits while the queue is
     * over its limit.
     *
     * @param line one event as canonical JSON, without a line break
     * @throws IllegalStateException once the spool is closing
     */
    void append(String line) {
        append((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Hands one event line to the writer, as {@link #append(String)} does, already encoded: UTF-8 canonical JSON
     * ending in a line break. The array is the spool's from now on.
     *
     * @param bytes the line's bytes, ending in {@code \n}
     * @throws IllegalStateException once the spool is closing
     */
    void append(byte[] bytes) {
        if (closing || halted) {
            throw new IllegalStateException("The event spool is closed");
        }
        if (bytes.length == 0 || bytes[bytes.length - 1] != '\n') {
            throw new IllegalArgumentException("a spool line ends in a line break");
        }
        if (queuedBytes.get() > queueMaxBytes && !Schedulers.isInNonBlockingThread()) {
            awaitRoom();
        }
        long queued = queuedBytes.addAndGet(bytes.length);
        appended.incrementAndGet();
        queue.add(bytes);
        if (queued > queueMaxBytes) {
            overflows.increment();
            long now = System.nanoTime();
            if (now - lastOverflowWarning > TimeUnit.SECONDS.toNanos(10)) {
                lastOverflowWarning = now;
                log.warn(
                        "Event spool queue over its limit: queuedBytes={} limitBytes={}; refusing new sessions until"
                                + " the disk catches up",
                        queued,
                        queueMaxBytes);
            }
        }
    }

    /** Whether new sessions must be refused: too much is spooled and unaccepted, or waiting for the disk. */
    boolean refusesNewSessions() {
        return unacknowledgedBytes() + queuedBytes.get() > maxBytes || queuedBytes.get() > queueMaxBytes;
    }

    /** Spooled bytes the control plane has not accepted yet. */
    long unacknowledgedBytes() {
        lock.lock();
        try {
            return unacknowledgedBytes;
        } finally {
            lock.unlock();
        }
    }

    /** Seconds since the oldest unaccepted event was spooled; 0 when everything is accepted. */
    double lagSeconds() {
        lock.lock();
        try {
            Waiting oldest = waiting.peekFirst();
            if (unacknowledgedBytes == 0 || oldest == null) {
                return 0;
            }
            return Math.max(0, clock.millis() - oldest.sinceMillis) / 1000.0;
        } finally {
            lock.unlock();
        }
    }

    /** The first position the control plane has not acknowledged. */
    Position cursor() {
        lock.lock();
        try {
            return cursor;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every line appended before this call is on disk and visible to delivery. Not for event-loop threads.
     *
     * @return whether that happened within {@code timeout}
     */
    boolean flush(Duration timeout) {
        long target = appended.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (writtenCount < target) {
                long nanos = deadline - System.nanoTime();
                if (nanos <= 0 || halted || writer == null || !writer.isAlive()) {
                    return false;
                }
                // Bounded, so that a writer that died is noticed.
                written.awaitNanos(Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(100)));
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next spooled lines after the cursor, waiting up to {@code wait} for some to become visible. Lines come from
     * one segment; the batch holds at least one line when any is visible, even one longer than {@code maxBytes}.
     *
     * @return the batch, empty when nothing became visible in time
     */
    Batch awaitBatch(int maxEvents, long maxBytes, Duration wait) throws InterruptedException {
        Position start;
        long end;
        lock.lock();
        try {
            long nanos = wait.toNanos();
            while (true) {
                normalizeCursor();
                start = cursor;
                end = segments.getOrDefault(start.segment(), 0L);
                if (start.offset() < end) {
                    break;
                }
                if (nanos <= 0) {
                    return new Batch(List.of(), start, start, 0);
                }
                nanos = written.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
        try {
            return read(start, end, maxEvents, maxBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the event spool at " + start, e);
        }
    }

    /**
     * Records that the control plane accepted {@code batch}: persists the cursor after it and deletes segments that
     * are wholly accepted. Batches must be acknowledged in the order they were read.
     *
     * @throws UncheckedIOException if the cursor cannot be persisted (the batch will then be sent again)
     */
    void acknowledge(Batch batch) {
        if (batch.isEmpty()) {
            return;
        }
        Position end;
        lock.lock();
        try {
            end = batch.end();
            Long size = segments.get(end.segment());
            Long next = segments.higherKey(end.segment());
            if (size != null && end.offset() >= size && next != null) {
                end = new Position(next, 0);
            }
        } finally {
            lock.unlock();
        }
        try {
            writeCursor(end);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot persist the event spool cursor", e);
        }
        List<Long> done = new ArrayList<>();
        lock.lock();
        try {
            cursor = end;
            unacknowledgedBytes -= batch.bytes();
            while (!waiting.isEmpty() && waiting.peekFirst().end.compareTo(cursor) <= 0) {
                waiting.removeFirst();
            }
            while (!segments.isEmpty() && segments.firstKey() < cursor.segment()) {
                done.add(segments.pollFirstEntry().getKey());
            }
        } finally {
            lock.unlock();
        }
        for (long id : done) {
            try {
                Files.deleteIfExists(segmentFile(id));
            } catch (IOException e) {
                log.warn("Could not delete the delivered spool segment {}: {}", segmentFile(id), e.toString());
            }
        }
    }

    /** Writes what is queued, then stops the writer. Appending afterwards fails. */
    @Override
    public void close() {
        closing = true;
        if (writer != null) {
            try {
                writer.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (writer.isAlive()) {
                log.error("The event spool writer did not finish within 30 s; unwritten events: {}", queue.size());
                halted = true;
                writer.interrupt();
            }
        }
        closeActive();
    }

    /** Stops as a crash would: whatever is still queued is lost, nothing more is written or forced. For tests. */
    void halt() {
        halted = true;
        if (writer != null) {
            writer.interrupt();
            try {
                writer.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeActive();
    }

    // --- writer

    private void writeLoop() {
        List<byte[]> chunk = new ArrayList<>();
        while (!halted) {
            byte[] first;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                if (halted) {
                    return;
                }
                continue;
            }
            if (first == null) {
                if (closing && queue.isEmpty()) {
                    return;
                }
                continue;
            }
            long started = System.nanoTime();
            chunk.add(first);
            long bytes = first.length;
            byte[] next;
            while (bytes < WRITE_CHUNK && (next = queue.poll()) != null) {
                chunk.add(next);
                bytes += next.length;
            }
            writeDurably(chunk, bytes);
            chunk.clear();
            // Group commit: a chunk that was not full means events trickle in; let more gather before the next
            // fsync rather than force once per event (and wake this thread once per event).
            long rest = commitIntervalNanos - (System.nanoTime() - started);
            if (bytes < WRITE_CHUNK && rest > 0 && !closing) {
                LockSupport.parkNanos(rest);
            }
        }
    }

    /** Writes and forces one chunk, retrying until it is on disk: a failing disk delays events, it never loses them. */
    private void writeDurably(List<byte[]> chunk, long bytes) {
        Duration backoff = Duration.ofMillis(100);
        while (!halted) {
            try {
                if (activeSize >= segmentBytes) {
                    roll();
                }
                // One copy into one direct buffer, one write: the channel would otherwise copy each line into a
                // temporary direct buffer of its own.
                ByteBuffer buffer = writeBuffer(bytes);
                for (byte[] line : chunk) {
                    buffer.put(line);
                }
                buffer.flip();
                active.position(activeSize);
                while (buffer.hasRemaining()) {
                    active.write(buffer);
                }
                active.force(false);
                commits.increment();
                publish(chunk.size(), bytes);
                return;
            } catch (IOException e) {
                if (halted) {
                    return;
                }
                log.error(
                        "Could not write session events to the spool segment={} ({}); retrying in {} ms",
                        segmentFile(activeId),
                        e.toString(),
                        backoff.toMillis());
                try {
                    reopenActive();
                } catch (IOException again) {
                    log.debug("Reopening the spool segment failed too: {}", again.toString());
                }
                sleepQuietly(backoff);
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0
                        ? Duration.ofSeconds(5)
                        : backoff.multipliedBy(2);
            }
        }
    }

    /** The writer thread's buffer, cleared, with room for {@code bytes}. */
    private ByteBuffer writeBuffer(long bytes) {
        if (writeBuffer == null || writeBuffer.capacity() < bytes) {
            writeBuffer = ByteBuffer.allocateDirect((int) Math.max(bytes, WRITE_CHUNK + 64 * 1024));
        }
        return writeBuffer.clear();
    }

    private void publish(int lines, long bytes) {
        lock.lock();
        try {
            activeSize += bytes;
            segments.put(activeId, activeSize);
            unacknowledgedBytes += bytes;
            writtenCount += lines;
            Position end = new Position(activeId, activeSize);
            long now = clock.millis();
            Waiting last = waiting.peekLast();
            if (last != null && now - last.sinceMillis < 1000) {
                last.end = end;
            } else {
                waiting.addLast(new Waiting(end, now));
            }
            queuedBytes.addAndGet(-bytes);
            written.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void roll() throws IOException {
        active.force(true);
        active.close();
        long id = activeId + 1;
        active = FileChannel.open(segmentFile(id), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        forceDirectory();
        lock.lock();
        try {
            activeId = id;
            activeSize = 0;
            segments.put(id, 0L);
        } finally {
            lock.unlock();
        }
    }

    /** After a failed write: cut what it left past the last durable byte and carry on from there. */
    private void reopenActive() throws IOException {
        if (active == null || !active.isOpen()) {
            active = FileChannel.open(segmentFile(activeId), StandardOpenOption.WRITE);
        }
        active.truncate(activeSize);
    }

    private void closeActive() {
        if (active != null) {
            try {
                active.close();
            } catch (IOException e) {
                log.debug("Closing the spool segment failed: {}", e.toString());
            }
        }
    }

    private void awaitRoom() {
        lock.lock();
        try {
            while (queuedBytes.get() > queueMaxBytes && !halted && writer != null && writer.isAlive()) {
                written.await(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    // --- reading

    /** Moves a cursor that stands at the end of a finished segment to the start of the next one. Under lock. */
    private void normalizeCursor() {
        Long size = segments.get(cursor.segment());
        Long next = segments.higherKey(cursor.segment());
        while (size != null && cursor.offset() >= size && next != null) {
            cursor = new Position(next, 0);
            size = segments.get(next);
            next = segments.higherKey(next);
        }
    }

    private Batch read(Position start, long end, int maxEvents, long maxBytes) throws IOException {
        List<String> lines = new ArrayList<>();
        long offset = start.offset();
        try (FileChannel channel = FileChannel.open(segmentFile(start.segment()), StandardOpenOption.READ)) {
            int want = (int) Math.min(end - offset, Math.max(maxBytes, 1));
            ByteBuffer buffer = readFully(channel, offset, want);
            byte[] data = buffer.array();
            int lineStart = 0;
            for (int i = 0; i < buffer.limit() && lines.size() < maxEvents; i++) {
                if (data[i] == '\n') {
                    lines.add(new String(data, lineStart, i - lineStart, StandardCharsets.UTF_8));
                    lineStart = i + 1;
                }
            }
            if (lines.isEmpty()) {
                // One line longer than maxBytes: send it alone. Visible data always ends with a line break.
                ByteBuffer whole = readFully(channel, offset, (int) (end - offset));
                byte[] all = whole.array();
                int i = 0;
                while (all[i] != '\n') {
                    i++;
                }
                lines.add(new String(all, 0, i, StandardCharsets.UTF_8));
                lineStart = i + 1;
            }
            return new Batch(lines, start, new Position(start.segment(), offset + lineStart), lineStart);
        }
    }

    private static ByteBuffer readFully(FileChannel channel, long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                throw new IOException("Spool segment shorter than its durable size");
            }
        }
        buffer.flip();
        return buffer;
    }

    // --- recovery and files

    private void recover() throws IOException {
        Files.createDirectories(directory);
        Files.deleteIfExists(directory.resolve(CURSOR + ".tmp"));
        TreeMap<Long, Path> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(directory)) {
            list.forEach(file -> {
                String name = file.getFileName().toString();
                if (name.endsWith(SUFFIX)) {
                    try {
                        files.put(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())), file);
                    } catch (NumberFormatException e) {
                        log.warn("Ignoring a stray file in the event spool: {}", file);
                    }
                }
            });
        }
        Position saved = readCursor();
        Position start = saved != null ? saved : new Position(files.isEmpty() ? 1 : files.firstKey(), 0);
        for (Map.Entry<Long, Path> old : files.headMap(start.segment()).entrySet()) {
            // Accepted before the last run ended, deleted or not.
            Files.deleteIfExists(old.getValue());
        }
        files.headMap(start.segment()).clear();
        if (!files.isEmpty() && !files.containsKey(start.segment())) {
            log.warn("The spool cursor names segment {} which is gone; resuming at {}", start, files.firstKey());
            start = new Position(files.firstKey(), 0);
        }
        for (Map.Entry<Long, Path> file : files.entrySet()) {
            segments.put(file.getKey(), Files.size(file.getValue()));
        }
        if (!files.isEmpty()) {
            long last = files.lastKey();
            long from = last == start.segment() ? start.offset() : 0;
            long kept = cutTornTail(files.get(last), from);
            segments.put(last, kept);
            if (start.segment() == last && start.offset() > kept) {
                log.warn("The spool cursor {} lies past the last complete event; resuming at {}", start, kept);
                start = new Position(last, kept);
            }
        }
        cursor = start;
        long pending = 0;
        for (Map.Entry<Long, Long> segment :
                segments.tailMap(start.segment(), true).entrySet()) {
            pending += segment.getValue();
        }
        unacknowledgedBytes = pending - start.offset();
        activeId = Math.max(segments.isEmpty() ? 0 : segments.lastKey(), start.segment()) + 1;
        activeSize = 0;
        active = FileChannel.open(segmentFile(activeId), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        forceDirectory();
        if (unacknowledgedBytes == 0) {
            // Everything was accepted: start clean rather than keep an empty segment per restart.
            for (long id : segments.keySet()) {
                Files.deleteIfExists(segmentFile(id));
            }
            segments.clear();
            cursor = new Position(activeId, 0);
            writeCursor(cursor);
        }
        segments.put(activeId, 0L);
        if (unacknowledgedBytes > 0) {
            Map.Entry<Long, Long> last = segments.lowerEntry(activeId);
            waiting.add(new Waiting(new Position(last.getKey(), last.getValue()), firstEventMillis()));
            log.info(
                    "Event spool recovered: {} bytes in {} segment(s) await delivery from {}",
                    unacknowledgedBytes,
                    segments.size() - 1,
                    cursor);
        }
    }

    /**
     * Cuts a segment at its first incomplete or malformed line at or after {@code from}, so that what stays is a
     * prefix of what was written (a later line alone would leave a gap in its session's chain).
     *
     * @return the size kept
     */
    private long cutTornTail(Path file, long from) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            long good = Math.min(from, size);
            ByteBuffer buffer = ByteBuffer.allocate(WRITE_CHUNK);
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            long position = good;
            boolean bad = false;
            while (!bad && position < size) {
                buffer.clear();
                int n = channel.read(buffer, position);
                if (n <= 0) {
                    break;
                }
                byte[] data = buffer.array();
                int lineStart = 0;
                for (int i = 0; i < n; i++) {
                    if (data[i] == '\n') {
                        line.write(data, lineStart, i - lineStart);
                        if (!looksLikeEvent(line.toByteArray())) {
                            bad = true;
                            break;
                        }
                        line.reset();
                        good = position + i + 1;
                        lineStart = i + 1;
                    }
                }
                if (!bad) {
                    line.write(data, lineStart, n - lineStart);
                }
                position += n;
            }
            if (good < size) {
                log.warn(
                        "Event spool segment {} ends in {} bytes that are not complete events (a write cut short);"
                                + " dropping them",
                        file.getFileName(),
                        size - good);
                channel.truncate(good);
                channel.force(true);
            }
            return good;
        }
    }

    /** Whether a spooled line is whole: canonical event JSON starts with its {@code at} and has no NUL. */
    private static boolean looksLikeEvent(byte[] line) {
        if (line.length < 8 || line[0] != '{' || line[line.length - 1] != '}') {
            return false;
        }
        for (byte b : line) {
            if (b == 0) {
                return false;
            }
        }
        return new String(line, 0, 6, StandardCharsets.US_ASCII).equals("{\"at\":");
    }

    /** When the first waiting event happened, as a stand-in for when it was spooled in a previous run. */
    private long firstEventMillis() {
        try (FileChannel channel = FileChannel.open(segmentFile(cursor.segment()), StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(64);
            channel.read(head, cursor.offset());
            Matcher at = AT.matcher(new String(head.array(), 0, head.position(), StandardCharsets.US_ASCII));
            if (at.find()) {
                return Long.parseLong(at.group(1)) / 1000;
            }
        } catch (IOException | RuntimeException e) {
            log.debug("Could not read the first waiting event's time: {}", e.toString());
        }
        return clock.millis();
    }

    private Position readCursor() {
        Path file = directory.resolve(CURSOR);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            String[] parts =
                    Files.readString(file, StandardCharsets.US_ASCII).strip().split(" ");
            return new Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        } catch (IOException | RuntimeException e) {
            // Written atomically, so this means outside damage; sending everything again is safe, skipping is not.
            log.error("The event spool cursor {} is unreadable; delivering the whole spool again", file, e);
            return null;
        }
    }

    private void writeCursor(Position position) throws IOException {
        Path tmp = directory.resolve(CURSOR + ".tmp");
        try (FileChannel channel = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap((position + "\n").getBytes(StandardCharsets.US_ASCII));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(tmp, directory.resolve(CURSOR), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory();
    }

    /** Makes a created or renamed file's directory entry durable. */
    private void forceDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory; there the rename's own durability is what we get.
            log.trace("Cannot fsync the spool directory: {}", e.toString());
        }
    }

    Path segmentFile(long id) {
        return directory.resolve(String.format("%020d", id) + SUFFIX);
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
