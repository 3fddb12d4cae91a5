package dev.portcullis.proxy.http;

import dev.portcullis.policy.connection.Credential;
import dev.portcullis.proxy.controlplane.ControlPlaneClient;
import dev.portcullis.proxy.snapshot.ConnectionInfo;
import dev.portcullis.proxy.system.FilterOrder;
import dev.portcullis.proxy.system.Problems;
import dev.portcullis.proxy.system.ProxyProperties;
import java.net.URI;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Sends the request to the connection's target with the connection's credential in place of the caller's token. The
 * credential is fetched from the control plane just in time, kept in memory only and briefly; headers a caller could
 * use to mislead the target about who or where it is (forwarding headers, other credentials) are dropped. This filter
 * gets the credential and sets the target URL; {@link OutgoingHeaders} writes the headers the target gets.
 */
@Component
class CredentialFilter implements GlobalFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(CredentialFilter.class);

    private final CredentialCache credentials;

    private final boolean enabled;

    CredentialFilter(ControlPlaneClient client, ProxyProperties properties) {
        this.credentials = new CredentialCache(client::credential, properties.credentialCacheTtl());
        this.enabled = properties.filters().credential();
    }

    @Override
    public int getOrder() {
        return FilterOrder.CREDENTIAL;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        ConnectionInfo connection = Exchanges.connection(exchange);
        URI incoming = exchange.getRequest().getURI();
        String target = connection.target()
                + Exchanges.restPath(exchange)
                + (incoming.getRawQuery() == null ? "" : "?" + incoming.getRawQuery());
        exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR, URI.create(target));
        if (!enabled) {
            return chain.filter(exchange);
        }
        Optional<Credential> known = credentials.known(connection.name());
        if (known != null) {
            return send(exchange, chain, known);
        }
        return credentials
                .get(connection.name())
                .flatMap(credential -> send(exchange, chain, credential))
                .onErrorResume(ControlPlaneClient.UnavailableException.class, e -> {
                    log.warn("No credential for connection={}: {}", connection.name(), e.getMessage());
                    return Problems.write(
                            exchange,
                            HttpStatus.SERVICE_UNAVAILABLE,
                            "The credential of connection '" + connection.name() + "' is not available right now");
                });
    }

    private static Mono<Void> send(
            ServerWebExchange exchange, GatewayFilterChain chain, Optional<Credential> credential) {
        // OutgoingHeaders puts it in the headers sent to the target, in place of the caller's.
        Exchanges.state(exchange).credential = credential.orElse(null);
        return chain.filter(exchange);
    }
}
