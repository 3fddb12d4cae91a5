package dev.portcullis.proxy.http;

import dev.portcullis.policy.connection.Credential;
import dev.portcullis.policy.eval.Subject;
import dev.portcullis.policy.eval.Verdict;
import dev.portcullis.proxy.snapshot.CompiledSnapshot;
import dev.portcullis.proxy.snapshot.ConnectionInfo;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.server.ServerWebExchange;

/**
 * What the enforcement filters learn about an exchange, passed from one to the next in one {@link State} attribute.
 * One attribute rather than one each: the exchange's attribute map is a {@code ConcurrentHashMap} sized for a dozen,
 * which the gateway's own attributes nearly fill, and every entry past that makes a request dearer.
 */
final class Exchanges {

    /** The attribute that holds the exchange's {@link State}. */
    static final String STATE = "portcullis.exchange";

    private Exchanges() {}

    /**
     * The enforcement state of one exchange. Each field is set once by the filter named, read by those after it; the
     * fields are volatile because a later step may run on another thread (masking a large body does).
     */
    static final class State {

        /** The policy snapshot the exchange is judged by ({@link EntryFilter}). */
        volatile CompiledSnapshot snapshot;

        /** The connection's name, from the path ({@link EntryFilter}). */
        volatile String connectionName;

        /** The path after {@code /c/{connection}} ({@link EntryFilter}). */
        volatile String restPath;

        /** Who is calling ({@link AuthenticationFilter}). */
        volatile Subject subject;

        /** The id of the caller's token ({@code jti}, else a hash of the token): with the connection, it keys a session. */
        volatile String tokenId;

        /** The OAuth2 client the caller's token was issued to. */
        volatile String clientId;

        /** The connection, once the caller may use it ({@link DecisionFilter}). */
        volatile ConnectionInfo connection;

        /** The policy's verdict when it lets the request on, allowed or for review ({@link DecisionFilter}). */
        volatile Verdict verdict;

        /**
         * What the policy decided, {@code ALLOW}, {@code BLOCK} or {@code REVIEW} (blocks have no verdict); not set for
         * a connection the caller may not use, which must look like one that does not exist.
         */
        volatile String decision;

        /**
         * The connection's credential ({@link CredentialFilter}), which {@link OutgoingHeaders} sends; null when the
         * connection has none, or none was found.
         */
        volatile Credential credential;

        /** The request body, read once by {@link RequestBodies}. */
        volatile byte[] requestBody;

        /** The id of the exchange's recorded session. */
        volatile UUID sessionId;

        /** The {@link EventSink} of the exchange's session. */
        volatile EventSink events;

        /** How many values masking replaced in the response, once it has ({@link MaskingFilter}). */
        volatile Integer maskedValues;
    }

    /** The exchange's state, created on first use. */
    static State state(ServerWebExchange exchange) {
        State state = exchange.getAttribute(STATE);
        if (state == null) {
            state = new State();
            exchange.getAttributes().put(STATE, state);
        }
        return state;
    }

    static CompiledSnapshot snapshot(ServerWebExchange exchange) {
        return state(exchange).snapshot;
    }

    static String connectionName(ServerWebExchange exchange) {
        return state(exchange).connectionName;
    }

    static String restPath(ServerWebExchange exchange) {
        return state(exchange).restPath;
    }

    static Subject subject(ServerWebExchange exchange) {
        return state(exchange).subject;
    }

    static ConnectionInfo connection(ServerWebExchange exchange) {
        return state(exchange).connection;
    }

    static Verdict verdict(ServerWebExchange exchange) {
        return state(exchange).verdict;
    }

    /** Records an event in the exchange's session, if it has one. */
    static void record(ServerWebExchange exchange, String type, Map<String, Object> payload) {
        EventSink sink = state(exchange).events;
        if (sink != null) {
            sink.record(type, payload);
        }
    }
}
