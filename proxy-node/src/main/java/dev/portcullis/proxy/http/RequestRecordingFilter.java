package dev.portcullis.proxy.http;

import dev.portcullis.policy.connection.ConnectionType;
import dev.portcullis.policy.eval.KubernetesCall;
import dev.portcullis.policy.eval.KubernetesPaths;
import dev.portcullis.policy.eval.Subject;
import dev.portcullis.proxy.recording.RecordedSession;
import dev.portcullis.proxy.recording.SessionRecorder;
import dev.portcullis.proxy.recording.SpoolFullException;
import dev.portcullis.proxy.snapshot.ConnectionInfo;
import dev.portcullis.proxy.system.FilterOrder;
import dev.portcullis.proxy.system.Problems;
import dev.portcullis.proxy.system.ProxyNode;
import dev.portcullis.proxy.system.ProxyProperties;
import dev.portcullis.recording.BodyCapture;
import dev.portcullis.recording.EventTypes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Opens the caller's session — one per token and connection on this node — and records the request as the caller
 * sent it, credentials removed and the body up to {@code portcullis.proxy.recording.body-cap}. Every later filter
 * records into the same session through {@link Exchanges#record}. When the spool is full a new session is refused
 * (503) rather than run unrecorded.
 */
@Component
class RequestRecordingFilter implements GlobalFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(RequestRecordingFilter.class);

    private final boolean enabled;

    private final SessionRecorder recorder;

    private final ProxyNode node;

    private final int bodyCap;

    private final long maxBody;

    RequestRecordingFilter(ProxyProperties properties, SessionRecorder recorder, ProxyNode node) {
        this.enabled = properties.recording().enabled();
        this.recorder = recorder;
        this.node = node;
        this.bodyCap = (int)
                Math.min(Integer.MAX_VALUE, properties.recording().bodyCap().toBytes());
        this.maxBody = properties.maxRequestBody().toBytes();
    }

    @Override
    public int getOrder() {
        return FilterOrder.RECORD_REQUEST;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Subject subject = Exchanges.subject(exchange);
        ConnectionInfo connection = Exchanges.snapshot(exchange).connection(Exchanges.connectionName(exchange));
        Exchanges.State state = Exchanges.state(exchange);
        String tokenId = state.tokenId;
        // Without a caller or an existing connection there is no session to speak of: the exchange is refused anyway.
        if (!enabled || subject == null || connection == null || tokenId == null) {
            return chain.filter(exchange);
        }
        String clientId = state.clientId;
        // Built only when the session is new, not for every request of a live one.
        Supplier<Map<String, Object>> start = () -> {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("subject", subject.name());
            fields.put("groups", new ArrayList<>(new java.util.TreeSet<>(subject.groups())));
            fields.put("serviceAccount", subject.serviceAccount());
            fields.put("clientId", clientId);
            fields.put("tokenId", tokenId);
            fields.put("connection", connection.name());
            fields.put("connectionType", connection.type().name());
            fields.put("proxyNode", node.id());
            return fields;
        };
        String key = tokenId + "\n" + connection.name();
        RecordedSession session;
        try {
            session = recorder.open(key, start);
        } catch (SpoolFullException e) {
            log.error(
                    "Recording spool full, new session refused: connection={} subject={}",
                    connection.name(),
                    subject.name());
            return Problems.write(
                    exchange,
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "This proxy cannot record a new session right now (its event spool is full), so it refuses"
                            + " rather than let it through unrecorded");
        }
        state.sessionId = session.id();
        state.events = new SessionSink(recorder, key, start, session);
        if (RequestBodies.atHand(exchange)) {
            // No body to read (most requests): recorded and passed on at once.
            Exchanges.record(exchange, EventTypes.HTTP_REQUEST, request(exchange, connection));
            return chain.filter(exchange);
        }
        return RequestBodies.cache(exchange, maxBody)
                .flatMap(cached -> {
                    Exchanges.record(cached, EventTypes.HTTP_REQUEST, request(cached, connection));
                    return chain.filter(cached);
                })
                .onErrorResume(RequestBodies.TooLargeException.class, e -> {
                    Map<String, Object> payload = request(exchange, connection);
                    payload.put("bodyTruncated", true);
                    Exchanges.record(exchange, EventTypes.HTTP_REQUEST, payload);
                    return Problems.write(
                            exchange,
                            HttpStatus.PAYLOAD_TOO_LARGE,
                            "The request body is larger than " + maxBody
                                    + " bytes (portcullis.proxy.max-request-body)");
                });
    }

    private Map<String, Object> request(ServerWebExchange exchange, ConnectionInfo connection) {
        String method = exchange.getRequest().getMethod().name();
        String path = Exchanges.restPath(exchange);
        String query = exchange.getRequest().getURI().getRawQuery();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("method", method);
        payload.put("path", path);
        payload.put("query", query == null ? "" : query);
        payload.put("command", method + " " + path + (query == null ? "" : "?" + query));
        payload.put("headers", RecordedHeaders.of(exchange.getRequest()));
        byte[] body = Exchanges.state(exchange).requestBody;
        if (body == null) {
            body = RequestBodies.NONE;
        }
        BodyCapture.of(body, body.length, body.length, bodyCap).addTo(payload);
        if (connection.type() == ConnectionType.KUBERNETES) {
            Optional<KubernetesCall> call =
                    KubernetesPaths.parse(method, path, exchange.getRequest().getQueryParams());
            call.ifPresent(k -> {
                payload.put("verb", k.verb());
                payload.put("namespace", k.namespace());
                payload.put("resource", k.resource());
                payload.put("subresource", k.subresource());
                payload.put("name", k.name());
            });
        }
        return payload;
    }

    /** Records into the session, opening it again if the idle sweep ended it in the meantime. */
    private static final class SessionSink implements EventSink {

        private final SessionRecorder recorder;

        private final String key;

        private final Supplier<Map<String, Object>> start;

        private RecordedSession session;

        SessionSink(
                SessionRecorder recorder, String key, Supplier<Map<String, Object>> start, RecordedSession session) {
            this.recorder = recorder;
            this.key = key;
            this.start = start;
            this.session = session;
        }

        @Override
        public synchronized void record(String type, Map<String, Object> payload) {
            if (session.record(type, payload)) {
                return;
            }
            // The exchange was admitted: its events are recorded even when the spool is over its limit meanwhile.
            session = recorder.reopen(key, start);
            session.record(type, payload);
        }
    }
}
