package dev.portcullis.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.policy.eval.Subject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

class AuthenticationFilterTests {

    @Test
    void subjectWhenServiceAccountTokenThenGroupsFromConfiguredClaim() {
        Jwt jwt = jwt("demo-agent")
                .claim("client_id", "demo-agent")
                .claim("teams", List.of("ai-agents"))
                .claim("groups", List.of("admins"))
                .build();

        Subject subject = AuthenticationFilter.subject(jwt, "teams");

        assertThat(subject.name()).isEqualTo("demo-agent");
        assertThat(subject.groups()).containsExactly("ai-agents");
        assertThat(subject.serviceAccount()).isTrue();
    }

    @Test
    void subjectWhenPersonTokenWithoutGroupsThenNoGroups() {
        Subject subject = AuthenticationFilter.subject(
                jwt("jane").claim("client_id", "web-console").build(), "groups");

        assertThat(subject.groups()).isEmpty();
        assertThat(subject.serviceAccount()).isFalse();
    }

    private static Jwt.Builder jwt(String subject) {
        return Jwt.withTokenValue("t")
                .header("alg", "RS256")
                .subject(subject)
                .issuedAt(Instant.parse("2026-11-25T10:00:00Z"))
                .expiresAt(Instant.parse("2026-11-25T10:10:00Z"));
    }
}
