package dev.portcullis.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.policy.connection.Credential;
import dev.portcullis.proxy.controlplane.ControlPlaneClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CredentialCacheTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final AtomicInteger calls = new AtomicInteger();

    private final AtomicReference<String> token = new AtomicReference<>("first");

    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    private volatile CountDownLatch gate = new CountDownLatch(0);

    private Optional<Credential> fetch(String connection) {
        calls.incrementAndGet();
        try {
            gate.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RuntimeException e = failure.get();
        if (e != null) {
            throw e;
        }
        return Optional.of(new Credential.Bearer(token.get()));
    }

    private static String bearer(Optional<Credential> credential) {
        return ((Credential.Bearer) credential.orElseThrow()).token();
    }

    @Test
    void getWhenFreshThenServedFromMemoryWithoutAskingAgain() {
        CredentialCache cache = new CredentialCache(this::fetch, Duration.ofMinutes(5));

        assertThat(bearer(cache.get("api").block(WAIT))).isEqualTo("first");
        token.set("second");

        assertThat(bearer(cache.get("api").block(WAIT))).isEqualTo("first");
        assertThat(calls).hasValue(1);
    }

    @Test
    void getWhenExpiredAndControlPlaneHangsThenStaleOneServedAtOnceWithOneRefreshInFlight() throws Exception {
        CredentialCache cache = new CredentialCache(this::fetch, Duration.ZERO);
        assertThat(bearer(cache.get("api").block(WAIT))).isEqualTo("first");
        gate = new CountDownLatch(1);
        token.set("second");

        // The refresh hangs on the gate; requests meanwhile get the credential in memory, without waiting.
        for (int i = 0; i < 20; i++) {
            assertThat(bearer(cache.get("api").block(Duration.ofSeconds(5)))).isEqualTo("first");
        }
        // The one refresh starts on another thread; however many requests came, it is the only one.
        awaitCalls(2);
        assertThat(calls).hasValue(2);

        gate.countDown();
        long deadline = System.nanoTime() + WAIT.toNanos();
        String seen = "first";
        while (!seen.equals("second") && System.nanoTime() < deadline) {
            Thread.sleep(10);
            seen = bearer(cache.get("api").block(WAIT));
        }
        assertThat(seen).isEqualTo("second");
    }

    @Test
    void getWhenRefreshFindsControlPlaneDownThenStaleOneKeptAndNotAskedAgainAtOnce() throws Exception {
        CredentialCache cache = new CredentialCache(this::fetch, Duration.ZERO);
        cache.get("api").block(WAIT);
        failure.set(new ControlPlaneClient.UnavailableException("down", null));

        assertThat(bearer(cache.get("api").block(WAIT))).isEqualTo("first");
        awaitCalls(2);
        for (int i = 0; i < 20; i++) {
            assertThat(bearer(cache.get("api").block(WAIT))).isEqualTo("first");
        }

        // The next try waits for CredentialCache.RETRY (seconds), so twenty quick requests started none.
        assertThat(calls).hasValue(2);
    }

    @Test
    void getWhenRefreshRefusedThenCredentialDroppedAndNextRequestFailsClosed() throws Exception {
        CredentialCache cache = new CredentialCache(this::fetch, Duration.ZERO);
        cache.get("api").block(WAIT);
        failure.set(new ControlPlaneClient.RefusedException(404, "no such connection"));

        cache.get("api").block(WAIT);
        awaitCalls(2);
        long deadline = System.nanoTime() + WAIT.toNanos();
        RuntimeException seen = null;
        while (seen == null && System.nanoTime() < deadline) {
            try {
                cache.get("api").block(WAIT);
                Thread.sleep(10);
            } catch (ControlPlaneClient.RefusedException e) {
                seen = e;
            }
        }

        assertThat(seen).isNotNull();
        assertThatThrownBy(() -> cache.get("api").block(WAIT)).isInstanceOf(ControlPlaneClient.RefusedException.class);
    }

    @Test
    void getWhenNeverFetchedAndControlPlaneDownThenError() {
        CredentialCache cache = new CredentialCache(this::fetch, Duration.ofMinutes(5));
        failure.set(new ControlPlaneClient.UnavailableException("down", null));

        assertThatThrownBy(() -> cache.get("api").block(WAIT))
                .isInstanceOf(ControlPlaneClient.UnavailableException.class);
    }

    private void awaitCalls(int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (calls.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(calls.get()).isGreaterThanOrEqualTo(count);
    }
}
