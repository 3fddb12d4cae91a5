package dev.portcullis.policy.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CredentialsTests {

    private static final String SECRET = "s3cr3t-VALUE-42";

    @Test
    void fromMapWhenEachKindThenRecord() {
        assertThat(Credentials.fromMap(Map.of("kind", "BEARER", "token", SECRET)))
                .isEqualTo(new Credential.Bearer(SECRET));
        assertThat(Credentials.fromMap(Map.of("kind", "basic", "username", "bob", "password", SECRET)))
                .isEqualTo(new Credential.Basic("bob", SECRET));
        assertThat(Credentials.fromMap(Map.of("kind", "Headers", "headers", Map.of("X-Api-Key", SECRET))))
                .isEqualTo(new Credential.Headers(Map.of("X-Api-Key", SECRET)));
        assertThat(Credentials.fromMap(Map.of("kind", "PASSWORD", "username", "demo", "password", SECRET)))
                .isEqualTo(new Credential.Password("demo", SECRET));
    }

    static Stream<Credential> credentials() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Api-Key", SECRET);
        headers.put("X-Tenant", "acme");
        return Stream.of(
                new Credential.Bearer(SECRET),
                new Credential.Basic("bob", SECRET),
                new Credential.Headers(headers),
                new Credential.Password("demo", SECRET));
    }

    @ParameterizedTest
    @MethodSource("credentials")
    void toMapWhenReadBackThenEqual(Credential credential) {
        Map<String, Object> map = Credentials.toMap(credential);

        assertThat(map.keySet().iterator().next()).isEqualTo("kind");
        assertThat(map.get("kind")).isEqualTo(credential.kind());
        assertThat(Credentials.fromMap(map)).isEqualTo(credential);
    }

    @Test
    void toMapWhenHeadersThenOrderKept() {
        Credential credential = credentials()
                .filter(Credential.Headers.class::isInstance)
                .findFirst()
                .orElseThrow();

        Map<?, ?> headers = (Map<?, ?>) Credentials.toMap(credential).get("headers");

        assertThat(List.copyOf(headers.keySet())).isEqualTo(List.of("X-Api-Key", "X-Tenant"));
    }

    static Stream<Arguments> invalidMaps() {
        return Stream.of(
                Arguments.of(map("token", SECRET), "'kind' is required"),
                Arguments.of(map("kind", 7, "token", SECRET), "'kind' must be a string"),
                Arguments.of(map("kind", "OAUTH", "token", SECRET), "unknown credential kind 'OAUTH'"),
                Arguments.of(map("kind", SECRET + " !", "token", SECRET), "unknown credential kind ("),
                Arguments.of(map("kind", "BEARER"), "credential field 'token' is required"),
                Arguments.of(map("kind", "BEARER", "token", 42), "credential field 'token' must be a string"),
                Arguments.of(map("kind", "BEARER", "token", SECRET, "tokn", SECRET), "unknown credential field 'tokn'"),
                Arguments.of(
                        map("kind", "BEARER", "token", "a", SECRET + " !", SECRET), "unknown credential field for"),
                Arguments.of(
                        map("kind", "BEARER", "token", SECRET + "\n"), "credential field 'token' must not contain"),
                Arguments.of(map("kind", "BASIC", "username", "bob"), "credential field 'password' is required"),
                Arguments.of(
                        map("kind", "BASIC", "username", "bob", "password", SECRET, "token", SECRET),
                        "unknown credential field 'token' for kind BASIC"),
                Arguments.of(map("kind", "PASSWORD", "password", SECRET), "credential field 'username' is required"),
                Arguments.of(map("kind", "PASSWORD", "username", "demo", "password", " "), "must not be blank"),
                Arguments.of(map("kind", "HEADERS"), "credential field 'headers' is required"),
                Arguments.of(map("kind", "HEADERS", "headers", SECRET), "must map header names to values"),
                Arguments.of(map("kind", "HEADERS", "headers", Map.of("X-Key", 42)), "string values"),
                Arguments.of(map("kind", "HEADERS", "headers", Map.of()), "at least one header"),
                Arguments.of(
                        map("kind", "HEADERS", "headers", Map.of("X-Key: " + SECRET, SECRET)),
                        "not a valid HTTP token"));
    }

    @ParameterizedTest
    @MethodSource("invalidMaps")
    void fromMapWhenInvalidThenMessageNamesFieldNeverSecret(Map<String, ?> map, String fragment) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Credentials.fromMap(map))
                .withMessageContaining(fragment)
                .withMessageNotContaining(SECRET);
    }

    @Test
    void fromMapWhenNullThenRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> Credentials.fromMap(null));
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
