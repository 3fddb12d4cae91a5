package dev.portcullis.proxy.recording;

import dev.portcullis.proxy.controlplane.ControlPlaneClient;
import dev.portcullis.proxy.controlplane.ControlPlaneClient.EventsResponse;
import dev.portcullis.recording.CanonicalJson;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends spooled events to the control plane in order, one batch at a time, and moves the spool's cursor past a batch
 * only once the control plane has accepted it. A failed batch is sent again, after a wait that doubles from {@code
 * retry-min} to {@code retry-max}; it is never skipped, since the control plane stores each (session, sequence) once
 * and a batch sent twice costs nothing but a duplicate count. Idle, the loop sleeps until the spool writer makes new
 * events visible; after a batch that was not full it lingers a moment ({@code delivery-linger}), so that a busy node
 * sends few full batches, each one COPY on the control plane, rather than many small ones.
 */
final class EventDelivery {

    /** A batch of about this many bytes at most (one longer event still goes alone). */
    static final long MAX_BATCH_BYTES = 4L * 1024 * 1024;

    /** How long one idle wait lasts before the loop looks again (it wakes earlier on new events). */
    private static final Duration IDLE_WAIT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(EventDelivery.class);

    private final EventSpool spool;

    private final Function<String, EventsResponse> post;

    private final String proxyNode;

    private final int batchSize;

    private final Duration retryMin;

    private final Duration retryMax;

    private final Duration linger;

    private final Counter delivered;

    private volatile boolean running;

    private Thread loop;

    /**
     * @param post sends one request body to the control plane ({@link ControlPlaneClient#postEvents}); throws on
     *     failure
     * @param proxyNode this node's name, sent with every batch
     * @param linger how long to let events gather after sending a batch that was not full, so that a steady stream
     *     goes out in full batches rather than one request per event; zero to send at once
     */
    EventDelivery(
            EventSpool spool,
            Function<String, EventsResponse> post,
            String proxyNode,
            int batchSize,
            Duration retryMin,
            Duration retryMax,
            Duration linger,
            MeterRegistry meters) {
        this.spool = spool;
        this.post = post;
        this.proxyNode = proxyNode;
        this.batchSize = batchSize;
        this.retryMin = retryMin;
        this.retryMax = retryMax;
        this.linger = linger;
        this.delivered = Counter.builder("portcullis.events.delivered")
                .description("Session events the control plane accepted (duplicates of a batch sent again included)")
                .register(meters);
    }

    void start() {
        running = true;
        loop = new Thread(this::run, "event-delivery");
        loop.setDaemon(true);
        loop.start();
    }

    /** Stops after the request in flight; what is not delivered stays spooled for the next start. */
    void stop() {
        running = false;
        if (loop != null) {
            loop.interrupt();
            try {
                loop.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        Duration backoff = retryMin;
        while (running) {
            EventSpool.Batch batch;
            try {
                batch = spool.awaitBatch(batchSize, MAX_BATCH_BYTES, IDLE_WAIT);
            } catch (InterruptedException e) {
                continue;
            } catch (RuntimeException e) {
                log.error("Cannot read the event spool; retrying in {} ms", backoff.toMillis(), e);
                backoff = pause(backoff);
                continue;
            }
            if (batch.isEmpty()) {
                continue;
            }
            try {
                EventsResponse response = post.apply(body(batch));
                spool.acknowledge(batch);
                delivered.increment(batch.size());
                if (!response.broken().isEmpty()) {
                    log.warn(
                            "The control plane found broken session chains in a delivered batch: broken={}",
                            response.broken());
                }
                log.debug(
                        "Delivered session events count={} accepted={} duplicates={} cursor={}",
                        batch.size(),
                        response.accepted(),
                        response.duplicates(),
                        batch.end());
                backoff = retryMin;
                if (batch.size() < batchSize && batch.bytes() < MAX_BATCH_BYTES / 2) {
                    linger();
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                if (e instanceof ControlPlaneClient.RefusedException refused
                        && (refused.status() == 400 || refused.status() == 413)) {
                    // The control plane cannot take this batch as it is: a bug on one side. Keep it and keep trying,
                    // so that a fixed control plane gets it; skipping would lose the audit trail.
                    log.error(
                            "The control plane refused a batch of session events: status={} count={} from={}; "
                                    + "keeping it and retrying in {} ms",
                            refused.status(),
                            batch.size(),
                            batch.start(),
                            backoff.toMillis());
                } else {
                    log.warn(
                            "Session events not delivered ({}); {} bytes spooled; retrying in {} ms",
                            e.getMessage(),
                            spool.unacknowledgedBytes(),
                            backoff.toMillis());
                }
                backoff = pause(backoff);
            }
        }
    }

    /** The request body: the spooled lines are canonical JSON already, so they are joined, not parsed again. */
    String body(EventSpool.Batch batch) {
        StringBuilder body = new StringBuilder((int) Math.min(Integer.MAX_VALUE - 64, batch.bytes() + 64));
        body.append("{\"events\":[");
        for (int i = 0; i < batch.lines().size(); i++) {
            if (i > 0) {
                body.append(',');
            }
            body.append(batch.lines().get(i));
        }
        body.append("],\"proxyNode\":").append(CanonicalJson.write(proxyNode)).append('}');
        return body.toString();
    }

    private void linger() {
        if (linger.isZero() || !running) {
            return;
        }
        try {
            Thread.sleep(linger.toMillis());
        } catch (InterruptedException e) {
            // stop() interrupts; the loop condition decides.
        }
    }

    private Duration pause(Duration backoff) {
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            // stop() interrupts; the loop condition decides.
        }
        Duration doubled = backoff.multipliedBy(2);
        return doubled.compareTo(retryMax) > 0 ? retryMax : doubled;
    }
}
