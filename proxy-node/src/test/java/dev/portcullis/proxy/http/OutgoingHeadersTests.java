package dev.portcullis.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.policy.connection.Credential;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

class OutgoingHeadersTests {

    private final OutgoingHeaders outgoing = new OutgoingHeaders(true, true);

    private final MockServerWebExchange exchange =
            MockServerWebExchange.from(MockServerHttpRequest.get("/c/demo-api/customers")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer agent-token")
                    .header(HttpHeaders.PROXY_AUTHORIZATION, "Basic c2VjcmV0")
                    .header("X-Forwarded-For", "6.6.6.6")
                    .header("x-forwarded-host", "evil.example")
                    .header("Forwarded", "for=6.6.6.6")
                    .header("X-Real-IP", "6.6.6.6")
                    .header(HttpHeaders.ACCEPT_ENCODING, "gzip")
                    .header(HttpHeaders.RANGE, "bytes=0-7")
                    .header(HttpHeaders.IF_RANGE, "\"v1\"")
                    .header("X-Trace", "kept")
                    .header(HttpHeaders.ACCEPT, "application/json"));

    /** The gateway's hop-by-hop filter hands on a writable copy of the request's headers. */
    private HttpHeaders copied() {
        HttpHeaders copy = new HttpHeaders();
        copy.putAll(exchange.getRequest().getHeaders());
        return copy;
    }

    private void credential(Credential credential) {
        Exchanges.state(exchange).credential = credential;
    }

    @Test
    void filterWhenBearerCredentialThenReplacesTheCallersTokenAndDropsOriginClaims() {
        credential(new Credential.Bearer("target-token"));
        HttpHeaders input = copied();

        HttpHeaders sent = outgoing.filter(input, exchange);

        assertThat(sent).isSameAs(input);
        assertThat(sent.get(HttpHeaders.AUTHORIZATION)).containsExactly("Bearer target-token");
        assertThat(sent.headerNames())
                .map(String::toLowerCase)
                .containsExactlyInAnyOrder("authorization", "x-trace", "accept");
        assertThat(sent.getFirst("X-Trace")).isEqualTo("kept");
    }

    @Test
    void filterWhenBasicCredentialThenEncodesUserAndPassword() {
        credential(new Credential.Basic("svc", "pä:ss"));

        HttpHeaders sent = outgoing.filter(copied(), exchange);

        assertThat(sent.getFirst(HttpHeaders.AUTHORIZATION))
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString("svc:pä:ss".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void filterWhenNamedHeadersCredentialThenSetsThemAndSendsNoAuthorization() {
        credential(new Credential.Headers(Map.of("X-Api-Key", "k-123")));

        HttpHeaders sent = outgoing.filter(copied(), exchange);

        assertThat(sent.get("X-Api-Key")).containsExactly("k-123");
        assertThat(sent.containsHeader(HttpHeaders.AUTHORIZATION)).isFalse();
        assertThat(sent.containsHeader("X-Forwarded-For")).isFalse();
    }

    @Test
    void filterWhenConnectionHasNoCredentialThenTheCallersTokenIsStillRemoved() {
        credential(null);

        HttpHeaders sent = outgoing.filter(copied(), exchange);

        assertThat(sent.containsHeader(HttpHeaders.AUTHORIZATION)).isFalse();
        assertThat(sent.containsHeader(HttpHeaders.PROXY_AUTHORIZATION)).isFalse();
    }

    @Test
    void filterWhenGivenTheRequestsReadOnlyHeadersThenEditsACopy() {
        credential(new Credential.Bearer("target-token"));
        HttpHeaders original = exchange.getRequest().getHeaders();

        HttpHeaders sent = outgoing.filter(original, exchange);

        assertThat(sent).isNotSameAs(original);
        assertThat(sent.get(HttpHeaders.AUTHORIZATION)).containsExactly("Bearer target-token");
        assertThat(sent.containsHeader("X-Forwarded-For")).isFalse();
        assertThat(original.getFirst(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer agent-token");
    }

    @Test
    void filterWhenMaskingThenTheWholeBodyIsAskedForUncompressed() {
        credential(new Credential.Bearer("target-token"));

        HttpHeaders sent = outgoing.filter(copied(), exchange);

        // A range could cut a sensitive value in two, and neither half would be recognised.
        assertThat(sent.containsHeader(HttpHeaders.RANGE)).isFalse();
        assertThat(sent.containsHeader(HttpHeaders.IF_RANGE)).isFalse();
        assertThat(sent.containsHeader(HttpHeaders.ACCEPT_ENCODING)).isFalse();
    }

    @Test
    void filterWhenMaskingOffThenEncodingAndRangeKept() {
        credential(new Credential.Bearer("target-token"));

        HttpHeaders sent = new OutgoingHeaders(true, false).filter(copied(), exchange);

        assertThat(sent.getFirst(HttpHeaders.ACCEPT_ENCODING)).isEqualTo("gzip");
        assertThat(sent.getFirst(HttpHeaders.RANGE)).isEqualTo("bytes=0-7");
        assertThat(sent.getFirst(HttpHeaders.IF_RANGE)).isEqualTo("\"v1\"");
    }

    @Test
    void filterWhenCredentialStepSwitchedOffThenHeadersUntouched() {
        HttpHeaders input = copied();

        HttpHeaders sent = new OutgoingHeaders(false, true).filter(input, exchange);

        assertThat(sent).isSameAs(input);
        assertThat(sent.getFirst(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer agent-token");
    }

    @Test
    void filterWhenNoCredentialWasFoundThenTheCallersHeadersAreDroppedAllTheSame() {
        HttpHeaders sent = outgoing.filter(copied(), exchange);

        assertThat(sent.containsHeader(HttpHeaders.AUTHORIZATION)).isFalse();
        assertThat(sent.containsHeader("X-Forwarded-For")).isFalse();
        assertThat(sent.getFirst("X-Trace")).isEqualTo("kept");
    }

    @Test
    void supportsRequestsOnlyAndRunsAfterTheGatewaysHeaderFilters() {
        assertThat(outgoing.supports(HttpHeadersFilter.Type.REQUEST)).isTrue();
        assertThat(outgoing.supports(HttpHeadersFilter.Type.RESPONSE)).isFalse();
        assertThat(outgoing.getOrder())
                .isGreaterThan(
                        new org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter().getOrder());
    }
}
