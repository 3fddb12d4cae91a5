package dev.portcullis.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.proxy.recording.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

class VerifiedTokensTests {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));

    private final AtomicInteger verifications = new AtomicInteger();

    /** Accepts tokens named "good-…" until their expiry, as a real decoder with a timestamp validator would. */
    private final ReactiveJwtDecoder decoder = token -> {
        verifications.incrementAndGet();
        if (!token.startsWith("good") || !clock.instant().isBefore(Instant.parse("2026-11-25T10:10:00Z"))) {
            return Mono.error(new BadJwtException("rejected"));
        }
        return Mono.just(Jwt.withTokenValue(token)
                .header("alg", "RS256")
                .subject("agent")
                .issuedAt(Instant.parse("2026-11-25T10:00:00Z"))
                .expiresAt(Instant.parse("2026-11-25T10:10:00Z"))
                .build());
    };

    private final AtomicInteger derivations = new AtomicInteger();

    private final VerifiedTokens<Jwt> tokens = new VerifiedTokens<>(
            decoder,
            jwt -> {
                derivations.incrementAndGet();
                return jwt;
            },
            clock);

    @Test
    void decodeWhenSameTokenAgainThenVerifiedOnce() {
        assertThat(decode("good-1").block().getSubject()).isEqualTo("agent");
        assertThat(decode("good-1").block().getSubject()).isEqualTo("agent");

        assertThat(verifications).hasValue(1);
    }

    @Test
    void decodeWhenOtherTokenThenVerifiedInFull() {
        decode("good-1").block();

        assertThatThrownBy(() -> decode("forged-1").block()).isInstanceOf(BadJwtException.class);
        assertThat(verifications).hasValue(2);
    }

    @Test
    void decodeWhenCachedTokenExpiredThenVerifiedAgainAndRejected() {
        decode("good-1").block();
        clock.advance(Duration.ofMinutes(10));

        assertThatThrownBy(() -> decode("good-1").block()).isInstanceOf(BadJwtException.class);
        assertThat(verifications).hasValue(2);
    }

    @Test
    void decodeWhenRejectedThenNotRemembered() {
        assertThatThrownBy(() -> decode("bad").block()).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> decode("bad").block()).isInstanceOf(BadJwtException.class);

        assertThat(verifications).hasValue(2);
    }

    @Test
    void knownWhenVerifiedThenDerivedOnceAndServedUntilExpiry() {
        assertThat(tokens.known("good-1")).isNull();
        Jwt verified = decode("good-1").block();

        assertThat(tokens.known("good-1")).isSameAs(verified);
        assertThat(tokens.known("good-2")).isNull();
        assertThat(derivations).hasValue(1);

        clock.advance(Duration.ofMinutes(10));
        assertThat(tokens.known("good-1")).isNull();
        assertThat(verifications).hasValue(1);
    }

    @Test
    void knownWhenRejectedThenNothing() {
        assertThatThrownBy(() -> decode("bad").block()).isInstanceOf(BadJwtException.class);

        assertThat(tokens.known("bad")).isNull();
        assertThat(derivations).hasValue(0);
    }

    /** As the authentication filter asks: what is known, else a verification. */
    private Mono<Jwt> decode(String token) {
        Jwt known = tokens.known(token);
        return known != null ? Mono.just(known) : tokens.verify(token);
    }
}
