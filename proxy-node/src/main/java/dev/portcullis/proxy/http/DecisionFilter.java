package dev.portcullis.proxy.http;

import dev.portcullis.policy.connection.ConnectionType;
import dev.portcullis.policy.eval.HttpCall;
import dev.portcullis.policy.eval.KubernetesPaths;
import dev.portcullis.policy.eval.PolicyEngine;
import dev.portcullis.policy.eval.RequestContext;
import dev.portcullis.policy.eval.Subject;
import dev.portcullis.policy.eval.Verdict;
import dev.portcullis.proxy.snapshot.CompiledSnapshot;
import dev.portcullis.proxy.snapshot.ConnectionInfo;
import dev.portcullis.proxy.system.FilterOrder;
import dev.portcullis.proxy.system.Problems;
import dev.portcullis.proxy.system.ProxyProperties;
import dev.portcullis.recording.EventTypes;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Mono;

/**
 * What the policy says, through the policy engine: an unknown connection and a connection the caller may not use
 * look the same (404, so a caller cannot probe which connections exist); BLOCK is 403 with the rule and reason.
 */
@Component
class DecisionFilter implements GlobalFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(DecisionFilter.class);

    private static final Subject ANONYMOUS = new Subject("anonymous", Set.of(), false);

    private final boolean enabled;

    DecisionFilter(ProxyProperties properties) {
        this.enabled = properties.filters().decide();
    }

    @Override
    public int getOrder() {
        return FilterOrder.DECIDE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        CompiledSnapshot snapshot = Exchanges.snapshot(exchange);
        String name = Exchanges.connectionName(exchange);
        ConnectionInfo connection = snapshot.connection(name);
        Subject caller = Exchanges.subject(exchange);
        Subject subject = caller != null ? caller : ANONYMOUS;
        if (!enabled) {
            if (connection == null) {
                return notFound(exchange, name);
            }
            // No decision at all (benchmarks of the bare gateway): no verdict, so nothing is masked either.
            Exchanges.state(exchange).connection = connection;
            return chain.filter(exchange);
        }
        if (connection == null || !PolicyEngine.mayUse(subject, connection.allowedGroups())) {
            if (connection != null) {
                recordDecision(exchange, "BLOCK", null, null, "No access to the connection");
            }
            return notFound(exchange, name);
        }
        // From here on the caller may know the connection exists: it is named in metrics and decisions.
        Exchanges.state(exchange).connection = connection;
        if (connection.type() == ConnectionType.POSTGRES) {
            decided(exchange, "BLOCK", null, null, "A PostgreSQL connection on the HTTP listener");
            return Problems.write(
                    exchange,
                    HttpStatus.BAD_REQUEST,
                    "Connection '" + name + "' is a PostgreSQL connection: use the PostgreSQL listener");
        }
        String method = exchange.getRequest().getMethod().name();
        String rawPath = Exchanges.restPath(exchange);
        // Rules match what the target will see once it decodes the path (%61dmin is admin); the entry filter has
        // already refused encoded separators, so decoding cannot change the segments. Kubernetes paths are read raw:
        // anything encoded there makes them unreadable, and the engine then refuses them.
        String path;
        try {
            path = UriUtils.decode(rawPath, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            decided(exchange, "BLOCK", null, null, "Malformed percent-encoding in the path");
            return Problems.write(exchange, HttpStatus.BAD_REQUEST, "The path has a malformed percent-encoding");
        }
        HttpCall call = new HttpCall(
                method,
                path,
                connection.type() == ConnectionType.KUBERNETES
                        ? KubernetesPaths.parse(
                                        method, rawPath, exchange.getRequest().getQueryParams())
                                .orElse(null)
                        : null);
        Verdict verdict = snapshot.engine()
                .evaluate(new RequestContext(subject, name, connection.tags(), connection.type(), call));
        if (verdict instanceof Verdict.Block block) {
            log.info(
                    "Blocked: connection={} subject={} method={} path={} policy={} rule={}",
                    name,
                    subject.name(),
                    method,
                    path,
                    block.policy(),
                    block.rule());
            decided(exchange, "BLOCK", block.policy(), block.rule(), block.reason());
            return Problems.write(
                    exchange,
                    HttpStatus.FORBIDDEN,
                    block.reason(),
                    Map.of(
                            "rule",
                            nullToEmpty(block.rule()),
                            "policy",
                            nullToEmpty(block.policy()),
                            "reason",
                            block.reason()));
        }
        if (verdict instanceof Verdict.Review review) {
            decided(exchange, "REVIEW", review.policy(), review.rule(), "Requires review");
        } else if (verdict instanceof Verdict.Allow allow) {
            decided(exchange, "ALLOW", allow.policy(), allow.rule(), null);
        }
        // A REVIEW verdict goes on to the review filter, which holds the request for the decision.
        Exchanges.state(exchange).verdict = verdict;
        return chain.filter(exchange);
    }

    /**
     * What the policy decided, for the metrics ({@link Exchanges.State#decision}) and the session: every decision but the
     * refusal of a connection the caller may not use, which must look like one that does not exist.
     */
    private static void decided(ServerWebExchange exchange, String verdict, String policy, String rule, String reason) {
        Exchanges.state(exchange).decision = verdict;
        recordDecision(exchange, verdict, policy, rule, reason);
    }

    private static void recordDecision(
            ServerWebExchange exchange, String verdict, String policy, String rule, String reason) {
        if (Exchanges.state(exchange).events == null) {
            return;
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("verdict", verdict);
        payload.put("policy", policy);
        payload.put("rule", rule);
        payload.put("reason", reason);
        Exchanges.record(exchange, EventTypes.POLICY_DECISION, payload);
    }

    private static Mono<Void> notFound(ServerWebExchange exchange, String name) {
        return Problems.write(exchange, HttpStatus.NOT_FOUND, "There is no connection '" + name + "' that you can use");
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
