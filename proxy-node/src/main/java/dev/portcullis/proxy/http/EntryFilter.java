package dev.portcullis.proxy.http;

import dev.portcullis.proxy.snapshot.CompiledSnapshot;
import dev.portcullis.proxy.snapshot.SnapshotStore;
import dev.portcullis.proxy.system.FilterOrder;
import dev.portcullis.proxy.system.Problems;
import dev.portcullis.proxy.system.ProxyProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The first thing every proxied request meets: no snapshot yet → 503; a path that could smuggle a different target
 * path past the policy (dot segments, encoded slashes or dots) → 400; a body over the limit → 413. It also turns a
 * target that is down or slow into 502 or 504 problem details, and times every request for
 * {@link RequestMetrics}.
 */
@Component
class EntryFilter implements GlobalFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(EntryFilter.class);

    /** Encoded '.', '/', '\' and NUL, dot segments and empty segments: refused rather than interpreted. */
    private static final Pattern SUSPICIOUS = Pattern.compile("(?i)%2e|%2f|%5c|%00|\\\\|/\\.\\.?(/|$)|//");

    /** A connection's name as the control plane allows it (compiled once: String.matches compiles per call). */
    private static final Pattern CONNECTION_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final SnapshotStore snapshots;

    private final long maxRequestBody;

    private final RequestMetrics metrics;

    EntryFilter(SnapshotStore snapshots, ProxyProperties properties, MeterRegistry meters) {
        this.snapshots = snapshots;
        this.maxRequestBody = properties.maxRequestBody().toBytes();
        this.metrics = new RequestMetrics(meters);
    }

    @Override
    public int getOrder() {
        return FilterOrder.AUTHENTICATE - 50;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        long start = System.nanoTime();
        return enter(exchange, chain).doFinally(signal -> metrics.record(exchange, signal, System.nanoTime() - start));
    }

    private Mono<Void> enter(ServerWebExchange exchange, GatewayFilterChain chain) {
        CompiledSnapshot snapshot = snapshots.current();
        if (snapshot == null) {
            return Problems.write(
                    exchange,
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "This proxy has no policy snapshot yet and refuses all traffic until the control plane sends one");
        }
        String rawPath = exchange.getRequest().getURI().getRawPath();
        if (!rawPath.startsWith("/c/")) {
            return Problems.write(exchange, HttpStatus.NOT_FOUND, "Proxied paths are /c/{connection}/…");
        }
        int slash = rawPath.indexOf('/', 3);
        String name = slash < 0 ? rawPath.substring(3) : rawPath.substring(3, slash);
        String rest = slash < 0 ? "/" : rawPath.substring(slash);
        if (name.isEmpty()
                || SUSPICIOUS.matcher(rest).find()
                || !CONNECTION_NAME.matcher(name).matches()) {
            return Problems.write(
                    exchange,
                    HttpStatus.BAD_REQUEST,
                    "The path has dot segments, empty segments or encoded separators; send it in plain form");
        }
        long length = exchange.getRequest().getHeaders().getContentLength();
        if (length > maxRequestBody) {
            return Problems.write(
                    exchange,
                    HttpStatus.CONTENT_TOO_LARGE,
                    "The request body is larger than this proxy's limit of " + maxRequestBody + " bytes");
        }
        Exchanges.State state = Exchanges.state(exchange);
        state.snapshot = snapshot;
        state.connectionName = name;
        state.restPath = rest;
        return chain.filter(exchange).onErrorResume(e -> targetFailed(exchange, e));
    }

    private Mono<Void> targetFailed(ServerWebExchange exchange, Throwable e) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(e);
        }
        String connection = Exchanges.connectionName(exchange);
        if (isTimeout(e)) {
            log.info("Target timed out: connection={}", connection);
            return Problems.write(
                    exchange,
                    HttpStatus.GATEWAY_TIMEOUT,
                    "The target of connection '" + connection + "' did not answer in time");
        }
        if (isConnectFailure(e)) {
            log.info("Target unreachable: connection={} cause={}", connection, e.toString());
            return Problems.write(
                    exchange,
                    HttpStatus.BAD_GATEWAY,
                    "The target of connection '" + connection + "' cannot be reached");
        }
        log.warn("Proxying failed: connection={}", connection, e);
        return Problems.write(
                exchange, HttpStatus.BAD_GATEWAY, "The request to connection '" + connection + "' failed");
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException
                    || t instanceof io.netty.handler.timeout.ReadTimeoutException
                    || (t instanceof ResponseStatusException rse
                            && rse.getStatusCode().value() == 504)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConnectFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof io.netty.channel.ConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
