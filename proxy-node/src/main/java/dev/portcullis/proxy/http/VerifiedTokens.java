package dev.portcullis.proxy.http;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * Tokens whose signature and claims were already checked, so that an agent's next request under the same token costs
 * a map lookup instead of an RSA verification. Keyed by the exact token text: any other token, a forged one included,
 * is verified in full. An entry is used only until the token's expiry; revocation is checked on every request by the
 * caller, never cached here.
 *
 * <p>What the caller needs from a token (its subject, groups, ids) is derived once, when the token is verified, and
 * kept with it: reading claims goes through a conversion service, which costs more than the lookup.
 *
 * @param <T> what is derived from a verified token
 */
final class VerifiedTokens<T> {

    private static final int MAX_ENTRIES = 10_000;

    private record Entry<T>(Instant expiresAt, T value) {}

    private final ConcurrentHashMap<String, Entry<T>> verified = new ConcurrentHashMap<>();

    private final ReactiveJwtDecoder decoder;

    private final Function<Jwt, T> derive;

    private final Clock clock;

    VerifiedTokens(ReactiveJwtDecoder decoder, Function<Jwt, T> derive, Clock clock) {
        this.decoder = decoder;
        this.derive = derive;
        this.clock = clock;
    }

    /** What was derived from this token when it was verified, if it was and has not expired since; else null. */
    T known(String token) {
        Entry<T> known = verified.get(token);
        if (known == null) {
            return null;
        }
        if (Instant.now(clock).isBefore(known.expiresAt())) {
            return known.value();
        }
        verified.remove(token, known);
        return null;
    }

    /**
     * Verifies the token and remembers what it says until it expires: for a token just found not {@link #known known}.
     * A token that fails verification signals its error and is not remembered.
     */
    Mono<T> verify(String token) {
        return decoder.decode(token).map(jwt -> remember(token, jwt));
    }

    private T remember(String token, Jwt jwt) {
        T value = derive.apply(jwt);
        if (jwt.getExpiresAt() == null) {
            // A token without expiry is checked every time rather than trusted forever.
            return value;
        }
        if (verified.size() >= MAX_ENTRIES) {
            Instant now = Instant.now(clock);
            verified.values().removeIf(e -> !now.isBefore(e.expiresAt()));
            if (verified.size() >= MAX_ENTRIES) {
                verified.clear();
            }
        }
        verified.put(token, new Entry<>(jwt.getExpiresAt(), value));
        return value;
    }
}
