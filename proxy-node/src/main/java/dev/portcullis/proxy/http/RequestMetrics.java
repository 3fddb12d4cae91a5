package dev.portcullis.proxy.http;

import dev.portcullis.proxy.snapshot.ConnectionInfo;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.SignalType;

/**
 * {@code portcullis.proxy.requests}: how long each proxied request took, by connection, decision and status. It
 * stands in for Spring's {@code http.server.requests} on the proxy (switched off there): that one cannot tell
 * connections apart (every proxied path is the one route {@code /c/**}) nor say what the policy decided, and costs
 * several times more per request.
 *
 * <p>Tags are bounded and reveal nothing to a caller who can read them: {@code connection} is a connection of the policy
 * snapshot that the caller may use, else {@code unknown} (a made-up name never becomes a tag, and a connection the
 * caller may not use counts as one that does not exist, as its 404 says); {@code decision} is {@code allow},
 * {@code block}, {@code review} or {@code none} (refused before the policy was asked, or decisions switched off);
 * {@code status} is the status code sent, or {@code cancelled} when the caller went away first.
 */
final class RequestMetrics {

    static final String NAME = "portcullis.proxy.requests";

    private record Key(String connection, String decision, int status) {}

    private final MeterRegistry registry;

    private final ConcurrentMap<Key, Timer> timers = new ConcurrentHashMap<>();

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Records one request that ended with {@code signal} after {@code nanos}. */
    void record(ServerWebExchange exchange, SignalType signal, long nanos) {
        ConnectionInfo known = Exchanges.connection(exchange);
        String connection = known != null ? known.name() : "unknown";
        String decision = Exchanges.state(exchange).decision;
        HttpStatusCode code = exchange.getResponse().getStatusCode();
        int status = signal == SignalType.CANCEL ? -1 : code != null ? code.value() : 200;
        Key key = new Key(connection, decision == null ? "none" : decision, status);
        timers.computeIfAbsent(key, this::timer).record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(Key key) {
        return Timer.builder(NAME)
                .description("Proxied requests by connection, policy decision and status")
                .tag("connection", key.connection())
                .tag("decision", key.decision().toLowerCase(Locale.ROOT))
                .tag("status", key.status() < 0 ? "cancelled" : Integer.toString(key.status()))
                .register(registry);
    }
}
