package dev.portcullis.proxy.http;

import dev.portcullis.policy.connection.Credential;
import dev.portcullis.proxy.controlplane.ControlPlaneClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Connection credentials by connection name, in memory only, each fresh for a short time (its TTL).
 *
 * <p>Only the first request of a connection waits for the control plane. Once a credential has expired, requests go
 * on with it while one refresh per connection runs in the background, so that a slow or hung control plane never
 * holds up traffic. A refresh the control plane cannot answer (unreachable, timed out, 5xx) keeps the credential in use
 * and is tried again after {@link #RETRY}; one it refuses with a 4xx (the connection is gone, say) drops the
 * credential, so the next request asks again and fails closed.
 */
final class CredentialCache {

    /** How long after a failed refresh the next one starts. */
    static final Duration RETRY = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(CredentialCache.class);

    private record Entry(Optional<Credential> credential, long expiresAtNanos, AtomicBoolean refreshing) {

        Entry(Optional<Credential> credential, long expiresAtNanos) {
            this(credential, expiresAtNanos, new AtomicBoolean());
        }
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    private final Function<String, Optional<Credential>> fetch;

    private final long ttlNanos;

    /**
     * @param fetch asks the control plane for a connection's credential ({@link ControlPlaneClient#credential});
     *     blocks, so it runs off the event loop
     * @param ttl how long a fetched credential is used before it is refreshed
     */
    CredentialCache(Function<String, Optional<Credential>> fetch, Duration ttl) {
        this.fetch = fetch;
        this.ttlNanos = ttl.toNanos();
    }

    /** The connection's credential (empty when it has none); an error only when none was ever fetched and none can be. */
    Mono<Optional<Credential>> get(String connection) {
        Optional<Credential> known = known(connection);
        return known != null ? Mono.just(known) : fetch(connection);
    }

    /**
     * The connection's credential in memory (empty when it has none), starting a refresh when it is due; null when none
     * was fetched yet, and only {@link #get} can fetch one.
     */
    Optional<Credential> known(String connection) {
        Entry entry = entries.get(connection);
        if (entry == null) {
            return null;
        }
        if (System.nanoTime() - entry.expiresAtNanos() >= 0
                && entry.refreshing().compareAndSet(false, true)) {
            refresh(connection, entry);
        }
        return entry.credential();
    }

    private Mono<Optional<Credential>> fetch(String connection) {
        return Mono.fromCallable(() -> fetch.apply(connection))
                .subscribeOn(Schedulers.boundedElastic())
                .doOnNext(credential -> entries.put(connection, new Entry(credential, System.nanoTime() + ttlNanos)));
    }

    private void refresh(String connection, Entry stale) {
        fetch(connection).subscribe(fresh -> {}, e -> {
            if (e instanceof ControlPlaneClient.RefusedException refused
                    && refused.status() >= 400
                    && refused.status() < 500
                    && refused.status() != 429) {
                log.warn("Credential of connection={} refused on refresh: {}; dropped", connection, e.toString());
                entries.remove(connection, stale);
            } else {
                log.warn(
                        "Credential of connection={} not refreshed ({}); using the one in memory, next try in {} s",
                        connection,
                        e.getMessage(),
                        RETRY.toSeconds());
                entries.replace(connection, stale, new Entry(stale.credential(), System.nanoTime() + RETRY.toNanos()));
            }
        });
    }
}
