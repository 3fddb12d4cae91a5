package dev.portcullis.controlplane.identity;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Slows down password guessing: after {@value #FREE_FAILURES} failed sign-ins (or client authentications) for one
 * name within {@link #WINDOW}, each further attempt for that name waits before it is checked, doubling up to
 * {@link #MAX_DELAY}. A success clears the count. The delay applies whether or not the next guess is right, so timing
 * tells an attacker nothing.
 */
@Component
public class LoginThrottle {

    static final int FREE_FAILURES = 3;

    static final Duration BASE_DELAY = Duration.ofMillis(250);

    static final Duration MAX_DELAY = Duration.ofSeconds(8);

    static final Duration WINDOW = Duration.ofMinutes(15);

    private static final int MAX_TRACKED = 100_000;

    private record Failures(int count, Instant last) {}

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    private final Clock clock;

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    void failed(String name) {
        Instant now = Instant.now(clock);
        if (failures.size() > MAX_TRACKED) {
            failures.entrySet().removeIf(e -> e.getValue().last().isBefore(now.minus(WINDOW)));
        }
        failures.merge(
                name,
                new Failures(1, now),
                (old, one) -> old.last().isBefore(now.minus(WINDOW)) ? one : new Failures(old.count() + 1, now));
    }

    void succeeded(String name) {
        failures.remove(name);
    }

    /** How long the next attempt for {@code name} waits. */
    Duration delayFor(String name) {
        Failures f = failures.get(name);
        if (f == null
                || f.count() < FREE_FAILURES
                || f.last().isBefore(Instant.now(clock).minus(WINDOW))) {
            return Duration.ZERO;
        }
        int doublings = Math.min(f.count() - FREE_FAILURES, 10);
        Duration delay = BASE_DELAY.multipliedBy(1L << doublings);
        return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
    }

    /** The filter that applies the delay on the sign-in form and the token endpoint. */
    OncePerRequestFilter filter() {
        return new OncePerRequestFilter() {
            @Override
            protected boolean shouldNotFilter(HttpServletRequest request) {
                String path = request.getRequestURI();
                return !"POST".equals(request.getMethod()) || !(path.equals("/login") || path.equals("/oauth2/token"));
            }

            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                String name = attemptedName(request);
                if (name != null) {
                    Duration delay = delayFor(name);
                    if (!delay.isZero()) {
                        try {
                            Thread.sleep(delay.toMillis());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
                chain.doFilter(request, response);
            }
        };
    }

    private static String attemptedName(HttpServletRequest request) {
        String username = request.getParameter("username");
        if (username != null) {
            return username;
        }
        String clientId = request.getParameter("client_id");
        if (clientId != null) {
            return clientId;
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(
                        Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon > 0
                        ? java.net.URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8)
                        : null;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }
}
