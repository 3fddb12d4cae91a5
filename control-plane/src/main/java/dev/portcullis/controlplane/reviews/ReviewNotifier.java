package dev.portcullis.controlplane.reviews;

import dev.portcullis.controlplane.system.PostgresListener;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Wakes long polls waiting for a review when it is decided or expires, on this instance or any other: it LISTENs on
 * PostgreSQL's {@value Reviews#CHANNEL} channel and, as a safety net for a lost notification, checks the waited-for
 * reviews every second. Waiters hold no thread and no database connection; their callbacks run on a small pool.
 */
@Component
class ReviewNotifier extends PostgresListener {

    private static final Logger log = LoggerFactory.getLogger(ReviewNotifier.class);

    private final Map<UUID, Set<Runnable>> waiters = new ConcurrentHashMap<>();

    private final Reviews reviews;

    private final ExecutorService callbacks;

    ReviewNotifier(DataSource dataSource, Reviews reviews) {
        super(dataSource, Reviews.CHANNEL, "review-notifier");
        this.reviews = reviews;
        AtomicInteger count = new AtomicInteger();
        this.callbacks =
                new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(10_000), runnable -> {
                    Thread t = new Thread(runnable, "review-waiter-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Runs {@code onSettled} (on {@link #executor()}) once review {@code id} is no longer pending. */
    void await(UUID id, Runnable onSettled) {
        waiters.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(onSettled);
    }

    /** Forgets a waiter (its request answered or timed out). */
    void cancel(UUID id, Runnable onSettled) {
        waiters.computeIfPresent(id, (k, set) -> {
            set.remove(onSettled);
            return set.isEmpty() ? null : set;
        });
    }

    /** Where waiters' answers are computed: off the servlet threads and off the listener thread. */
    Executor executor() {
        return callbacks;
    }

    @Override
    public void stop() {
        super.stop();
        callbacks.shutdownNow();
    }

    @Override
    protected void wake() {
        if (waiters.isEmpty()) {
            return;
        }
        List<UUID> settled = reviews.settled(List.copyOf(waiters.keySet()));
        for (UUID id : settled) {
            Set<Runnable> woken = waiters.remove(id);
            if (woken == null) {
                continue;
            }
            for (Runnable waiter : woken) {
                try {
                    callbacks.execute(waiter);
                } catch (RuntimeException e) {
                    log.warn("A review waiter could not be woken: review={}", id, e);
                }
            }
        }
    }
}
