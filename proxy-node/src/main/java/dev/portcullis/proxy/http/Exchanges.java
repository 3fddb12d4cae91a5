package dev.portcullis.proxy.http;

import dev.portcullis.policy.eval.Subject;
import dev.portcullis.policy.eval.Verdict;
import dev.portcullis.proxy.snapshot.CompiledSnapshot;
import dev.portcullis.proxy.snapshot.ConnectionInfo;
import org.springframework.web.server.ServerWebExchange;

/** What the enforcement filters learn about an exchange, passed from one to the next as attributes. */
final class Exchanges {

    static final String SNAPSHOT = "portcullis.snapshot";

    static final String CONNECTION_NAME = "portcullis.connectionName";

    static final String REST_PATH = "portcullis.restPath";

    static final String SUBJECT = "portcullis.subject";

    static final String CONNECTION = "portcullis.connection";

    static final String VERDICT = "portcullis.verdict";

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
}
