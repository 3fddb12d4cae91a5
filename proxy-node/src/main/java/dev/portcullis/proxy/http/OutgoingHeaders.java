package dev.portcullis.proxy.http;

import dev.portcullis.policy.connection.Credential;
import dev.portcullis.proxy.system.ProxyProperties;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * The headers a proxied request takes to its target: the caller's, without those that claim an identity or an origin,
 * and with the connection's credential that {@link CredentialFilter} found. A gateway headers filter, so that it edits
 * the copy of the headers the gateway makes for the target anyway rather than one more copy of its own.
 *
 * <p>Runs last among the gateway's request headers filters: after its hop-by-hop filter, which copies the headers, so
 * these edits go into that copy. Should it get the request's own, read-only headers, it copies them first.
 */
@Component
class OutgoingHeaders implements HttpHeadersFilter, Ordered {

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

    private final boolean enabled;

    private final boolean masking;

    @Autowired
    OutgoingHeaders(ProxyProperties properties) {
        this(properties.filters().credential(), properties.filters().mask());
    }

    /**
     * @param enabled whether the credential filter is on: off, the headers go as the gateway has them
     * @param masking whether masking is on, which reads bodies and so asks targets for them uncompressed
     */
    OutgoingHeaders(boolean enabled, boolean masking) {
        this.enabled = enabled;
        this.masking = masking;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public boolean supports(Type type) {
        return type == Type.REQUEST;
    }

    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
        if (!enabled) {
            return input;
        }
        HttpHeaders headers = input;
        try {
            headers.remove(HttpHeaders.AUTHORIZATION);
        } catch (UnsupportedOperationException readOnly) {
            // The request's own headers, not a copy: HttpHeaders cannot say whether it is writable but by trying.
            headers = new HttpHeaders();
            headers.putAll(input);
        }
        // Without a credential (the connection has none, or none was found), the caller's headers are dropped all
        // the same, and none is set: fail closed.
        rewrite(headers, Exchanges.state(exchange).credential);
        return headers;
    }

    private void rewrite(HttpHeaders headers, Credential credential) {
        UNTRUSTED.forEach(headers::remove);
        if (masking) {
            // Masking reads the body: ask the target for it uncompressed, and whole. A range could cut a value in two
            // (half a card number here, half in the next request), and neither half is what a detector recognises.
            headers.remove(HttpHeaders.ACCEPT_ENCODING);
            headers.remove(HttpHeaders.RANGE);
            headers.remove(HttpHeaders.IF_RANGE);
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
    }
}
