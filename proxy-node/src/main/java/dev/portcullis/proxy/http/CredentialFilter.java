package dev.portcullis.proxy.http;

import dev.portcullis.policy.connection.Credential;
import dev.portcullis.proxy.controlplane.ControlPlaneClient;
import dev.portcullis.proxy.snapshot.ConnectionInfo;
import dev.portcullis.proxy.system.FilterOrder;
import dev.portcullis.proxy.system.Problems;
import dev.portcullis.proxy.system.ProxyProperties;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Sends the request to the connection's target with the connection's credential in place of the caller's token. The
 * credential is fetched from the control plane just in time, kept in memory only and briefly; headers a caller could
 * use to mislead the target about who or where it is (forwarding headers, other credentials) are dropped.
 */
@Component
class CredentialFilter implements GlobalFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(CredentialFilter.class);

    /** Headers from the caller never forwarded: credentials and claims about the request's origin. */
    static final List<String> UNTRUSTED = List.of(
            HttpHeaders.AUTHORIZATION,
            HttpHeaders.PROXY_AUTHORIZATION,
            "Forwarded",
            "X-Forwarded-For",
            "X-Forwarded-Host",
            "X-Forwarded-Port",
            "X-Forwarded-Proto",
            "X-Forwarded-Prefix",
            "X-Real-IP");

    private final CredentialCache credentials;

    private final boolean enabled;

    private final boolean masking;

    CredentialFilter(ControlPlaneClient client, ProxyProperties properties) {
        this.credentials = new CredentialCache(client::credential, properties.credentialCacheTtl());
        this.enabled = properties.filters().credential();
        this.masking = properties.filters().mask();
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
        return credentials
                .get(connection.name())
                .flatMap(credential -> chain.filter(exchange.mutate()
                        .request(rewrite(exchange.getRequest(), credential.orElse(null)))
                        .build()))
                .onErrorResume(ControlPlaneClient.UnavailableException.class, e -> {
                    log.warn("No credential for connection={}: {}", connection.name(), e.getMessage());
                    return Problems.write(
                            exchange,
                            HttpStatus.SERVICE_UNAVAILABLE,
                            "The credential of connection '" + connection.name() + "' is not available right now");
                });
    }

    private ServerHttpRequest rewrite(ServerHttpRequest request, Credential credential) {
        return request.mutate()
                .headers(headers -> {
                    UNTRUSTED.forEach(headers::remove);
                    if (masking) {
                        // Masking reads the body: ask the target for it uncompressed.
                        headers.remove(HttpHeaders.ACCEPT_ENCODING);
                    }
                    if (credential instanceof Credential.Bearer bearer) {
                        headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + bearer.token());
                    } else if (credential instanceof Credential.Basic basic) {
                        headers.set(
                                HttpHeaders.AUTHORIZATION,
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString((basic.username() + ":" + basic.password())
                                                        .getBytes(StandardCharsets.UTF_8)));
                    } else if (credential instanceof Credential.Headers named) {
                        named.headers().forEach(headers::set);
                    }
                })
                .build();
    }
}
