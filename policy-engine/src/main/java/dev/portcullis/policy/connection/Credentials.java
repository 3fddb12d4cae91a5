package dev.portcullis.policy.connection;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Converts credentials to and from the plain maps of the API's JSON ({@code {"kind": "BEARER", "token": "..."}}),
 * which is also the form the control plane encrypts at rest.
 *
 * <p>Every error names the field at fault and never repeats a value, since any value here may be a secret.
 */
public final class Credentials {

    private static final String KIND = "kind";
    private static final List<String> KINDS = List.of("BEARER", "BASIC", "HEADERS", "PASSWORD");

    // Only names of this shape are echoed in errors; anything else might be a secret pasted into the wrong place.
    private static final Pattern SAFE_TO_ECHO = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,39}");

    private Credentials() {}

    /**
     * Reads a credential from its map form.
     *
     * @param map {@code kind} (any case) and the fields of that kind, nothing else
     * @return the credential
     * @throws IllegalArgumentException if the kind is missing or unknown, a field is missing, unknown or not text, or
     *     a value is invalid; the message never contains a value
     */
    public static Credential fromMap(Map<String, ?> map) {
        if (map == null) {
            throw new IllegalArgumentException("credential is missing");
        }
        Object kindValue = map.get(KIND);
        if (kindValue == null) {
            throw new IllegalArgumentException(
                    "credential field 'kind' is required (one of " + String.join(", ", KINDS) + ")");
        }
        if (!(kindValue instanceof String kindText)) {
            throw new IllegalArgumentException("credential field 'kind' must be a string");
        }
        String kind = kindText.trim().toUpperCase(Locale.ROOT);
        List<String> fields = switch (kind) {
            case "BEARER" -> List.of("token");
            case "BASIC", "PASSWORD" -> List.of("username", "password");
            case "HEADERS" -> List.of("headers");
            default ->
                throw new IllegalArgumentException("unknown credential kind"
                        + (SAFE_TO_ECHO.matcher(kindText).matches() ? " '" + kindText + "'" : "")
                        + " (expected one of " + String.join(", ", KINDS) + ")");
        };
        for (Object key : map.keySet()) {
            if (!KIND.equals(key) && !fields.contains(key)) {
                String name =
                        key instanceof String text && SAFE_TO_ECHO.matcher(text).matches() ? " '" + text + "'" : "";
                throw new IllegalArgumentException("unknown credential field" + name + " for kind " + kind
                        + " (expected " + String.join(", ", fields) + ")");
            }
        }
        return switch (kind) {
            case "BEARER" -> new Credential.Bearer(text(map, "token"));
            case "BASIC" -> new Credential.Basic(text(map, "username"), text(map, "password"));
            case "PASSWORD" -> new Credential.Password(text(map, "username"), text(map, "password"));
            default -> new Credential.Headers(headers(map));
        };
    }

    /**
     * Writes a credential in its map form, the inverse of {@link #fromMap(Map)}.
     *
     * @param credential the credential
     * @return a {@link LinkedHashMap} with {@code kind} first, then the kind's fields; it holds the secrets in clear
     */
    public static Map<String, Object> toMap(Credential credential) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(KIND, credential.kind());
        if (credential instanceof Credential.Bearer bearer) {
            map.put("token", bearer.token());
        } else if (credential instanceof Credential.Basic basic) {
            map.put("username", basic.username());
            map.put("password", basic.password());
        } else if (credential instanceof Credential.Password password) {
            map.put("username", password.username());
            map.put("password", password.password());
        } else if (credential instanceof Credential.Headers headers) {
            map.put("headers", new LinkedHashMap<>(headers.headers()));
        } else {
            throw new IllegalArgumentException("credential is missing");
        }
        return map;
    }

    private static String text(Map<String, ?> map, String field) {
        Object value = map.get(field);
        if (value == null) {
            throw new IllegalArgumentException("credential field '" + field + "' is required");
        }
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException("credential field '" + field + "' must be a string");
        }
        return text;
    }

    private static Map<String, String> headers(Map<String, ?> map) {
        Object value = map.get("headers");
        if (value == null) {
            throw new IllegalArgumentException("credential field 'headers' is required");
        }
        if (!(value instanceof Map<?, ?> raw)) {
            throw new IllegalArgumentException("credential field 'headers' must map header names to values");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : raw.entrySet()) {
            if (!(entry.getKey() instanceof String name) || !(entry.getValue() instanceof String text)) {
                throw new IllegalArgumentException("credential field 'headers' must map header names to string values");
            }
            headers.put(name, text);
        }
        return headers;
    }
}
