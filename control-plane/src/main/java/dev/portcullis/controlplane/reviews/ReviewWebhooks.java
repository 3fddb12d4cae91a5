package dev.portcullis.controlplane.reviews;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import tools.jackson.databind.json.JsonMapper;

/**
 * Announces reviews to the webhooks of their approver groups ({@code portcullis.review.webhooks.<group>}): a chat
 * channel or a pager hears that a review waits, and how it ended. Deliveries start after the change commits, never
 * inside the request's transaction, run on a small pool of their own, and are retried with exponential backoff; a
 * 2xx answer ends them. At most {@value #MAX_PENDING} deliveries wait at once; beyond that they are dropped with a
 * warning rather than let memory grow. Logs name the webhook's host only: a chat webhook's URL is its credential.
 */
@Component
class ReviewWebhooks implements DisposableBean {

    static final int MAX_PENDING = 1000;

    private static final Logger log = LoggerFactory.getLogger(ReviewWebhooks.class);

    private final ReviewProperties properties;

    private final JsonMapper json;

    private final HttpClient http;

    private final ScheduledThreadPoolExecutor executor;

    private final Semaphore pending = new Semaphore(MAX_PENDING);

    ReviewWebhooks(ReviewProperties properties, JsonMapper json) {
        this.properties = properties;
        this.json = json;
        AtomicInteger count = new AtomicInteger();
        this.executor = new ScheduledThreadPoolExecutor(2, runnable -> {
            Thread t = new Thread(runnable, "review-webhook-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.executor.setRemoveOnCancelPolicy(true);
        this.http = HttpClient.newBuilder()
                .connectTimeout(properties.webhookTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @TransactionalEventListener
    void onReviewEvent(ReviewEvent event) {
        Set<URI> targets = new LinkedHashSet<>();
        for (String group : event.review().approverGroups()) {
            URI url = properties.webhooks().get(group);
            if (url != null) {
                targets.add(url);
            }
        }
        if (targets.isEmpty()) {
            return;
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("event", event.event());
        payload.put("review", event.review());
        String body = json.writeValueAsString(payload);
        for (URI target : targets) {
            if (!pending.tryAcquire()) {
                log.warn(
                        "Review webhook dropped, too many deliveries waiting: event={} review={} host={}",
                        event.event(),
                        event.review().id(),
                        target.getHost());
                continue;
            }
            schedule(new Delivery(target, event.event(), event.review().id().toString(), body), 1, Duration.ZERO);
        }
    }

    private record Delivery(URI target, String event, String reviewId, String body) {}

    private void schedule(Delivery delivery, int attempt, Duration delay) {
        try {
            executor.schedule(() -> attempt(delivery, attempt), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            pending.release();
        }
    }

    private void attempt(Delivery delivery, int attempt) {
        String failure;
        try {
            HttpRequest request = HttpRequest.newBuilder(delivery.target())
                    .timeout(properties.webhookTimeout())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(delivery.body()))
                    .build();
            int status =
                    http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 200 && status < 300) {
                pending.release();
                log.debug(
                        "Review webhook delivered: event={} review={} attempt={}",
                        delivery.event(),
                        delivery.reviewId(),
                        attempt);
                return;
            }
            failure = "HTTP " + status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.release();
            return;
        } catch (Exception e) {
            failure = e.toString();
        }
        if (attempt >= properties.webhookAttempts()) {
            pending.release();
            log.warn(
                    "Review webhook given up after {} attempts: event={} review={} host={} last={}",
                    attempt,
                    delivery.event(),
                    delivery.reviewId(),
                    delivery.target().getHost(),
                    failure);
            return;
        }
        Duration backoff = properties.webhookBackoff().multipliedBy(1L << Math.min(attempt - 1, 20));
        log.debug(
                "Review webhook failed, retrying in {}: event={} review={} attempt={} failure={}",
                backoff,
                delivery.event(),
                delivery.reviewId(),
                attempt,
                failure);
        schedule(delivery, attempt + 1, backoff);
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
