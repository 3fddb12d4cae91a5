package dev.portcullis.proxy.http;

import dev.portcullis.policy.eval.Subject;
import dev.portcullis.proxy.recording.SessionRecorder;
import dev.portcullis.proxy.system.FilterOrder;
import dev.portcullis.proxy.system.Problems;
import dev.portcullis.proxy.system.ProxyProperties;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Who is calling: the bearer token must be signed by the issuer, unexpired, for the {@code portcullis} audience, and
 * its subject not revoked in the snapshot. The caller's identity goes on as a {@link Subject}; the token itself never
 * reaches the target (the credential filter replaces the header).
 */
@Component
class AuthenticationFilter implements GlobalFilter, Ordered {

    static final String CHALLENGE = "Bearer realm=\"portcullis\"";

    private final VerifiedTokens<Caller> tokens;

    private final boolean enabled;

    private final SessionRecorder recorder;

    AuthenticationFilter(ReactiveJwtDecoder decoder, ProxyProperties properties, SessionRecorder recorder) {
        this.recorder = recorder;
        this.enabled = properties.filters().authenticate();
        String groupsClaim = properties.groupsClaim();
        this.tokens = new VerifiedTokens<>(decoder, jwt -> Caller.of(jwt, groupsClaim), java.time.Clock.systemUTC());
    }

    @Override
    public int getOrder() {
        return FilterOrder.AUTHENTICATE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        if (!enabled) {
            return chain.filter(exchange);
        }
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() < 8) {
            return unauthorized(exchange, CHALLENGE, "A bearer token is required");
        }
        String token = header.substring(7).strip();
        Caller known = tokens.known(token);
        if (known != null) {
            // Verified before and not expired: no signature check, and no reactive step in between.
            return admit(exchange, chain, known);
        }
        return tokens.verify(token)
                .flatMap(caller -> admit(exchange, chain, caller))
                .onErrorResume(
                        org.springframework.security.oauth2.jwt.JwtException.class,
                        e -> unauthorized(
                                exchange,
                                CHALLENGE + ", error=\"invalid_token\", error_description=\"The token is not valid\"",
                                "The bearer token is not valid: it is expired, not yet valid, malformed, or not"
                                        + " signed by the issuer"));
    }

    private Mono<Void> admit(ServerWebExchange exchange, GatewayFilterChain chain, Caller caller) {
        if (caller.subject() == null
                || Exchanges.snapshot(exchange).isRevoked(caller.subject().name())) {
            if (caller.subject() != null) {
                // The subject's open sessions end here, on record.
                recorder.endSubject(caller.subject().name(), "revoked");
            }
            return unauthorized(
                    exchange,
                    CHALLENGE + ", error=\"invalid_token\", error_description=\"The token's subject is revoked\"",
                    "The token's subject is revoked");
        }
        Exchanges.State state = Exchanges.state(exchange);
        state.subject = caller.subject();
        state.tokenId = caller.tokenId();
        state.clientId = caller.clientId();
        return chain.filter(exchange);
    }

    /**
     * What a verified token says about its bearer, read from its claims once, when it is verified.
     *
     * @param subject who is calling, or null for a token without a subject (refused)
     * @param tokenId the token's id, see {@link AuthenticationFilter#tokenId}
     * @param clientId the OAuth2 client the token was issued to ({@code client_id}, else {@code azp}), or null
     */
    record Caller(Subject subject, String tokenId, String clientId) {

        static Caller of(Jwt jwt, String groupsClaim) {
            String clientId = jwt.getClaimAsString("client_id") != null
                    ? jwt.getClaimAsString("client_id")
                    : jwt.getClaimAsString("azp");
            return new Caller(
                    jwt.getSubject() == null ? null : AuthenticationFilter.subject(jwt, groupsClaim),
                    AuthenticationFilter.tokenId(jwt),
                    clientId);
        }
    }

    /** The token's {@code jti}, else a hash of the token itself: one session per token and connection. */
    static String tokenId(Jwt jwt) {
        if (jwt.getId() != null && !jwt.getId().isBlank()) {
            return jwt.getId();
        }
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(jwt.getTokenValue().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    static Subject subject(Jwt jwt, String groupsClaim) {
        Object groups = jwt.getClaims().get(groupsClaim);
        Set<String> names = new HashSet<>();
        if (groups instanceof Collection<?> collection) {
            collection.forEach(g -> names.add(String.valueOf(g)));
        }
        boolean serviceAccount = jwt.getSubject().equals(jwt.getClaimAsString("client_id"));
        return new Subject(jwt.getSubject(), Set.copyOf(names), serviceAccount);
    }

    private static Mono<Void> unauthorized(ServerWebExchange exchange, String challenge, String detail) {
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
        return Problems.write(exchange, HttpStatus.UNAUTHORIZED, detail, Map.of());
    }
}
