package dev.portcullis.proxy.http;

import dev.portcullis.policy.eval.Subject;
import dev.portcullis.policy.eval.Verdict;
import dev.portcullis.proxy.snapshot.CompiledSnapshot;
import dev.portcullis.proxy.snapshot.ConnectionInfo;
import java.util.Map;
import org.springframework.web.server.ServerWebExchange;

/** What the enforcement filters learn about an exchange, passed from one to the next as attributes. */
final class Exchanges {

    static final String SNAPSHOT = "portcullis.snapshot";

    static final String CONNECTION_NAME = "portcullis.connectionName";

    static final String REST_PATH = "portcullis.restPath";

    static final String SUBJECT = "portcullis.subject";

    static final String CONNECTION = "portcullis.connection";

    static final String VERDICT = "portcullis.verdict";

    /**
     * What the policy decided, {@code ALLOW}, {@code BLOCK} or {@code REVIEW} (blocks have no verdict attribute); not
     * set for a connection the caller may not use, which must look like one that does not exist.
     */
    static final String DECISION = "portcullis.decision";

    /** The id of the caller's token ({@code jti}, else a hash of the token): with the connection, it keys a session. */
    static final String TOKEN_ID = "portcullis.tokenId";

    /** The OAuth2 client the caller's token was issued to. */
    static final String CLIENT_ID = "portcullis.clientId";

    /** The request body, read once by {@link RequestBodies}. */
    static final String REQUEST_BODY = "portcullis.requestBody";

    /** The id of the exchange's recorded session. */
    static final String SESSION_ID = "portcullis.sessionId";

    /** The {@link EventSink} of the exchange's session. */
    static final String EVENTS = "portcullis.events";

    /** How many values masking replaced in the response. */
    static final String MASKED_VALUES = "portcullis.maskedValues";

    private Exchanges() {}

    static CompiledSnapshot snapshot(ServerWebExchange exchange) {
        return exchange.getAttribute(SNAPSHOT);
    }

    static String connectionName(ServerWebExchange exchange) {
        return exchange.getAttribute(CONNECTION_NAME);
    }

    static String restPath(ServerWebExchange exchange) {
        return exchange.getAttribute(REST_PATH);
    }

    static Subject subject(ServerWebExchange exchange) {
        return exchange.getAttribute(SUBJECT);
    }

    static ConnectionInfo connection(ServerWebExchange exchange) {
        return exchange.getAttribute(CONNECTION);
    }

    static Verdict verdict(ServerWebExchange exchange) {
        return exchange.getAttribute(VERDICT);
    }

    /** Records an event in the exchange's session, if it has one. */
    static void record(ServerWebExchange exchange, String type, Map<String, Object> payload) {
        EventSink sink = exchange.getAttribute(EVENTS);
        if (sink != null) {
            sink.record(type, payload);
        }
    }
}
