package dev.portcullis.policy.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class CredentialTests {

    private static final String SECRET = "s3cr3t-VALUE-42";

    static Stream<Arguments> credentials() {
        return Stream.of(
                Arguments.of(new Credential.Bearer(SECRET), "Bearer[token=***]"),
                Arguments.of(new Credential.Basic("bob", SECRET), "Basic[username=bob, password=***]"),
                Arguments.of(new Credential.Headers(Map.of("X-Api-Key", SECRET)), "Headers[headers={X-Api-Key=***}]"),
                Arguments.of(new Credential.Password("demo", SECRET), "Password[username=demo, password=***]"));
    }

    @ParameterizedTest
    @MethodSource("credentials")
    void toStringWhenAnyKindThenSecretRedacted(Credential credential, String expected) {
        assertThat(credential.toString()).isEqualTo(expected).doesNotContain(SECRET);
        assertThat(String.valueOf(credential)).doesNotContain(SECRET);
    }

    @Test
    void toStringWhenSeveralHeadersThenAllValuesRedactedInOrder() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Api-Key", SECRET);
        headers.put("X-Tenant", SECRET + "2");

        assertThat(new Credential.Headers(headers)).hasToString("Headers[headers={X-Api-Key=***, X-Tenant=***}]");
    }

    @Test
    void kindWhenEachRecordThenApiName() {
        assertThat(new Credential.Bearer("t").kind()).isEqualTo("BEARER");
        assertThat(new Credential.Basic("u", "p").kind()).isEqualTo("BASIC");
        assertThat(new Credential.Headers(Map.of("A", "b")).kind()).isEqualTo("HEADERS");
        assertThat(new Credential.Password("u", "p").kind()).isEqualTo("PASSWORD");
    }

    @ParameterizedTest
    @EnumSource(ConnectionType.class)
    void fitsTypeWhenHttpKindsThenHttpAndKubernetesOnly(ConnectionType type) {
        boolean http = type != ConnectionType.POSTGRES;

        assertThat(new Credential.Bearer("t").fitsType(type)).isEqualTo(http);
        assertThat(new Credential.Basic("u", "p").fitsType(type)).isEqualTo(http);
        assertThat(new Credential.Headers(Map.of("A", "b")).fitsType(type)).isEqualTo(http);
        assertThat(new Credential.Password("u", "p").fitsType(type)).isEqualTo(!http);
    }

    @Test
    void newWhenBlankOrInjectedValuesThenRefusedWithoutEchoingThem() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Credential.Bearer(" "))
                .withMessage("credential field 'token' must not be blank");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Credential.Bearer(SECRET + "\r\nX-Evil: 1"))
                .withMessageContaining("'token'")
                .withMessageNotContaining(SECRET);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Credential.Basic("bob:x", SECRET))
                .withMessageContaining("'username'")
                .withMessageNotContaining(SECRET);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Credential.Password("demo", SECRET + "\0"))
                .withMessageContaining("'password'")
                .withMessageNotContaining(SECRET);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Credential.Password(null, SECRET))
                .withMessageContaining("'username'");
    }

    @Test
    void headersWhenNamesInvalidOrRepeatedThenRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Credential.Headers(Map.of()));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Credential.Headers(Map.of("Authorization: Bearer " + SECRET, "x")))
                .withMessageNotContaining(SECRET);
        Map<String, String> repeated = new LinkedHashMap<>();
        repeated.put("X-Key", "a");
        repeated.put("x-key", "b");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Credential.Headers(repeated))
                .withMessageContaining("twice");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Credential.Headers(Map.of("X-Key", " ")))
                .withMessage("credential field 'headers.X-Key' must not be blank");
    }

    @Test
    void headersWhenSourceMapChangesThenCredentialUnchanged() {
        Map<String, String> source = new LinkedHashMap<>(Map.of("X-Key", "a"));
        Credential.Headers headers = new Credential.Headers(source);
        source.put("X-Other", "b");

        assertThat(headers.headers()).containsOnlyKeys("X-Key");
    }
}
