package dev.portcullis.controlplane.reviews;

import dev.portcullis.controlplane.system.ApiException;
import jakarta.validation.Valid;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * Reviews as proxies use them: open one for a held command, wait for its decision (long poll), use an approval for a
 * retried command, and give up the requests a restarted node held.
 */
@RestController
@RequestMapping("/api/v1/proxy/reviews")
class ProxyReviewController {

    static final Duration MAX_WAIT = Duration.ofSeconds(60);

    private final Reviews reviews;

    private final ReviewNotifier notifier;

    ProxyReviewController(Reviews reviews, ReviewNotifier notifier) {
        this.reviews = reviews;
        this.notifier = notifier;
    }

    @PostMapping
    ResponseEntity<ReviewView> open(@Valid @RequestBody OpenReviewRequest request) {
        ReviewView view = reviews.open(request);
        return ResponseEntity.created(URI.create("/api/v1/proxy/reviews/" + view.id()))
                .body(view);
    }

    /**
     * The review; while it is pending and {@code wait} is given, answers when it is decided or expires, or when the
     * wait is over, whichever comes first. No thread and no database connection is held while waiting.
     */
    @GetMapping("/{id}")
    DeferredResult<ReviewView> get(@PathVariable UUID id, @RequestParam(required = false) String wait) {
        Duration waitFor = parseWait(wait);
        ReviewView current = reviews.get(id);
        DeferredResult<ReviewView> result = new DeferredResult<>(waitFor.toMillis() + 5000L, () -> reviews.get(id));
        if (current.status() != ReviewStatus.PENDING || waitFor.isZero()) {
            result.setResult(current);
            return result;
        }
        Runnable answer = () -> answer(result, id);
        notifier.await(id, answer);
        result.onCompletion(() -> notifier.cancel(id, answer));
        CompletableFuture.delayedExecutor(waitFor.toMillis(), TimeUnit.MILLISECONDS, notifier.executor())
                .execute(answer);
        return result;
    }

    @PostMapping("/consume")
    ReviewView consume(@Valid @RequestBody ReviewRequests.Consume request) {
        return reviews.consume(request.subject(), request.connection(), request.commandHash());
    }

    @PostMapping("/orphan")
    Map<String, Integer> orphan(@Valid @RequestBody ReviewRequests.Orphan request) {
        return Map.of("orphaned", reviews.orphan(request.proxyNode(), request.before()));
    }

    private void answer(DeferredResult<ReviewView> result, UUID id) {
        if (result.isSetOrExpired()) {
            return;
        }
        try {
            result.setResult(reviews.get(id));
        } catch (RuntimeException e) {
            result.setErrorResult(e);
        }
    }

    /** {@code PT30S} or {@code 30} (seconds); absent means no wait; capped at {@link #MAX_WAIT}. */
    static Duration parseWait(String wait) {
        if (wait == null || wait.isBlank()) {
            return Duration.ZERO;
        }
        Duration parsed;
        try {
            parsed = wait.strip().chars().allMatch(Character::isDigit)
                    ? Duration.ofSeconds(Long.parseLong(wait.strip()))
                    : Duration.parse(wait.strip());
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
            throw new ApiException.Invalid("wait", "must be an ISO-8601 duration (PT30S) or a number of seconds");
        }
        if (parsed.isNegative()) {
            throw new ApiException.Invalid("wait", "must not be negative");
        }
        return parsed.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : parsed;
    }
}
