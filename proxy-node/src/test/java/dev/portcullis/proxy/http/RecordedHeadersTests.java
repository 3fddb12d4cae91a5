package dev.portcullis.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

class RecordedHeadersTests {

    @Test
    void ofWhenCredentialsThenRedactedAndNamesLowerCase() {
        HttpHeaders headers = new HttpHeaders();
        headers.add("Authorization", "Bearer eyJ.secret.token");
        headers.add("Cookie", "SESSION=abc");
        headers.add("X-Api-Key", "sk_live_123");
        headers.add("Accept", "application/json");
        headers.add("X-Trace", "a");
        headers.add("X-Trace", "b");

        Map<String, Object> recorded = RecordedHeaders.of(headers);

        assertThat(recorded)
                .containsEntry("authorization", "[redacted]")
                .containsEntry("cookie", "[redacted]")
                .containsEntry("x-api-key", "[redacted]")
                .containsEntry("accept", "application/json")
                .containsEntry("x-trace", List.of("a", "b"));
        assertThat(recorded.toString()).doesNotContain("eyJ", "SESSION=abc", "sk_live");
    }

    @Test
    void ofWhenNettyHeadersThenTheSameAsThroughSpringsView() {
        // Unvalidated, as a lenient decoder might hand them over: a NUL in a value.
        io.netty.handler.codec.http.HttpHeaders wire = unvalidated();
        wire.add("Host", "example.com");
        wire.add("Proxy-Authorization", "Basic c2VjcmV0");
        wire.add("X-Trace", "a");
        wire.add("x-trace", "b");
        wire.add("X-TRACE", "c");
        wire.add("X-Odd", "nul\0inside");
        wire.add("Cookie", "a=1");
        wire.add("Cookie", "b=2");

        Map<String, Object> recorded = RecordedHeaders.of(wire);

        assertThat(recorded)
                .containsEntry("host", "example.com")
                .containsEntry("proxy-authorization", "[redacted]")
                .containsEntry("x-trace", List.of("a", "b", "c"))
                .containsEntry("x-odd", "nul\uFFFDinside")
                .containsEntry("cookie", List.of("[redacted]", "[redacted]"))
                .hasSize(5);
        assertThat(recorded).isEqualTo(RecordedHeaders.of(springView(wire)));
    }

    @Test
    void ofWhenRandomHeadersThenNettyAndSpringViewsAgree() {
        Random random = new Random(7);
        String[] names = {"Accept", "accept", "X-A", "x-a", "Authorization", "X-Auth-Token", "Via", "VIA", "Te"};
        for (int round = 0; round < 500; round++) {
            DefaultHttpHeaders wire = new DefaultHttpHeaders();
            int count = random.nextInt(12);
            for (int i = 0; i < count; i++) {
                wire.add(names[random.nextInt(names.length)], "v" + random.nextInt(5));
            }

            assertThat(RecordedHeaders.of(wire)).as("%s", wire).isEqualTo(RecordedHeaders.of(springView(wire)));
        }
    }

    @Test
    void ofWhenRequestNotBackedByNettyThenSpringsViewIsRead() {
        MockServerHttpRequest request = MockServerHttpRequest.get("/x")
                .header("Authorization", "Bearer t")
                .header("Accept", "text/plain")
                .build();

        assertThat(RecordedHeaders.of(new ServerHttpRequestDecorator(request)))
                .isEqualTo(Map.of("authorization", "[redacted]", "accept", "text/plain"));
    }

    private static io.netty.handler.codec.http.HttpHeaders unvalidated() {
        return DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
    }

    private static HttpHeaders springView(io.netty.handler.codec.http.HttpHeaders wire) {
        HttpHeaders view = new HttpHeaders();
        wire.forEach(header -> view.add(header.getKey(), header.getValue()));
        return view;
    }
}
