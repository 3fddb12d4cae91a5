package dev.portcullis.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

class RequestRecordingFilterTests {

    @Test
    void headersWhenCredentialsThenRedactedAndNamesLowerCase() {
        HttpHeaders headers = new HttpHeaders();
        headers.add("Authorization", "Bearer eyJ.secret.token");
        headers.add("Cookie", "SESSION=abc");
        headers.add("X-Api-Key", "sk_live_123");
        headers.add("Accept", "application/json");
        headers.add("X-Trace", "a");
        headers.add("X-Trace", "b");

        Map<String, Object> recorded = RequestRecordingFilter.headers(headers);

        assertThat(recorded)
                .containsEntry("authorization", "[redacted]")
                .containsEntry("cookie", "[redacted]")
                .containsEntry("x-api-key", "[redacted]")
                .containsEntry("accept", "application/json")
                .containsEntry("x-trace", List.of("a", "b"));
        assertThat(recorded.toString()).doesNotContain("eyJ", "SESSION=abc", "sk_live");
    }
}
