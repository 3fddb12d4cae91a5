package dev.portcullis.proxy.http;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * Tokens whose signature and claims were already checked, so that an agent's next request under the same token costs
 * a map lookup instead of an RSA verification. Keyed by the exact token text: any other token, a forged one included,
 * is verified in full. An entry is used only until the token's expiry; revocation is checked on every request by the
 * caller, never cached here.
 */
final class VerifiedTokens {

    private static final int MAX_ENTRIES = 10_000;

    private final ConcurrentHashMap<String, Jwt> verified = new ConcurrentHashMap<>();

    private final ReactiveJwtDecoder decoder;

    private final Clock clock;

    VerifiedTokens(ReactiveJwtDecoder decoder, Clock clock) {
        this.decoder = decoder;
        this.clock = clock;
    }

    Mono<Jwt> decode(String token) {
        Jwt known = verified.get(token);
        if (known != null) {
            Instant now = Instant.now(clock);
            if (known.getExpiresAt() != null && now.isBefore(known.getExpiresAt())) {
                return Mono.just(known);
            }
            verified.remove(token);
        }
        return decoder.decode(token).doOnNext(jwt -> remember(token, jwt));
    }

    private void remember(String token, Jwt jwt) {
        if (jwt.getExpiresAt() == null) {
            // A token without expiry is checked every time rather than trusted forever.
            return;
        }
        if (verified.size() >= MAX_ENTRIES) {
            Instant now = Instant.now(clock);
            verified.values().removeIf(j -> !now.isBefore(j.getExpiresAt()));
            if (verified.size() >= MAX_ENTRIES) {
                verified.clear();
            }
        }
        verified.put(token, jwt);
    }
}
