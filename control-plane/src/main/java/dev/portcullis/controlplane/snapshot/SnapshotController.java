package dev.portcullis.controlplane.snapshot;

import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * The policy snapshot for proxies. With {@code If-None-Match} naming the current version the request waits (long
 * poll, up to {@code wait} seconds) for the next version, and answers 304 if none came.
 */
@RestController
@RequestMapping("/api/v1/proxy/snapshot")
class SnapshotController {

    static final int MAX_WAIT_SECONDS = 60;

    private final SnapshotService snapshots;

    private final SnapshotNotifier notifier;

    SnapshotController(SnapshotService snapshots, SnapshotNotifier notifier) {
        this.snapshots = snapshots;
        this.notifier = notifier;
    }

    @GetMapping
    DeferredResult<ResponseEntity<Snapshot>> snapshot(
            @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
            @RequestParam(defaultValue = "30") int wait) {
        int waitSeconds = Math.max(0, Math.min(wait, MAX_WAIT_SECONDS));
        long current = snapshots.version();
        Long known = parseEtag(ifNoneMatch);
        DeferredResult<ResponseEntity<Snapshot>> result =
                new DeferredResult<>(waitSeconds * 1000L + 5000L, () -> notModified(current));
        if (known == null || known != current) {
            result.setResult(full());
            return result;
        }
        if (waitSeconds == 0) {
            result.setResult(notModified(current));
            return result;
        }
        LongConsumer onChange = version -> CompletableFuture.runAsync(() -> result.setResult(full()));
        notifier.await(known, onChange);
        CompletableFuture.delayedExecutor(waitSeconds, java.util.concurrent.TimeUnit.SECONDS)
                .execute(() -> {
                    notifier.cancel(onChange);
                    result.setResult(notModified(current));
                });
        return result;
    }

    private ResponseEntity<Snapshot> full() {
        Snapshot snapshot = snapshots.current();
        return ResponseEntity.ok().eTag(etag(snapshot.version())).body(snapshot);
    }

    private static ResponseEntity<Snapshot> notModified(long version) {
        return ResponseEntity.status(HttpStatus.NOT_MODIFIED)
                .eTag(etag(version))
                .build();
    }

    private static String etag(long version) {
        return "\"" + version + "\"";
    }

    /** Reads {@code "42"} or {@code W/"42"}; anything else counts as no version. */
    static Long parseEtag(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        if (v.length() >= 3 && v.startsWith("\"") && v.endsWith("\"")) {
            try {
                return Long.parseLong(v.substring(1, v.length() - 1));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
