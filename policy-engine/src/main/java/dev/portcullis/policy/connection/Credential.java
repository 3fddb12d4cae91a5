package dev.portcullis.policy.connection;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The secret Portcullis presents to a target on the caller's behalf; the caller never sees it.
 *
 * <p>Every value is checked when the record is made, and every {@code toString()} hides the secrets, so that a
 * credential logged by mistake gives nothing away. Messages of the checks name fields, never values.
 */
public sealed interface Credential
        permits Credential.Bearer, Credential.Basic, Credential.Headers, Credential.Password {

    /** What {@code toString()} shows instead of a secret. */
    String REDACTED = "***";

    /**
     * Names the kind as the API writes it.
     *
     * @return {@code BEARER}, {@code BASIC}, {@code HEADERS} or {@code PASSWORD}
     */
    String kind();

    /**
     * Tells whether this credential can be used with a type of connection.
     *
     * @param type the connection type
     * @return {@code true} for the HTTP kinds with {@code HTTP} and {@code KUBERNETES}, for {@code PASSWORD} with
     *     {@code POSTGRES}
     */
    boolean fitsType(ConnectionType type);

    /**
     * A bearer token, sent as {@code Authorization: Bearer TOKEN}.
     *
     * @param token the token
     */
    record Bearer(String token) implements Credential {

        /**
         * Checks the token.
         *
         * @param token the token
         * @throws IllegalArgumentException if it is blank or holds a line break
         */
        public Bearer {
            Secrets.requireValue("token", token);
        }

        /**
         * {@inheritDoc}
         */
        @Override
        public String kind() {
            return "BEARER";
        }

        /**
         * {@inheritDoc}
         */
        @Override
        public boolean fitsType(ConnectionType type) {
            return type == ConnectionType.HTTP || type == ConnectionType.KUBERNETES;
        }

        /**
         * Shows the kind only.
         *
         * @return {@code Bearer[token=***]}
         */
        @Override
        public String toString() {
            return "Bearer[token=" + REDACTED + "]";
        }
    }

    /**
     * HTTP basic authentication, sent as {@code Authorization: Basic ...}.
     *
     * @param username the user name, which may not contain {@code :} (RFC 7617)
     * @param password the password
     */
    record Basic(String username, String password) implements Credential {

        /**
         * Checks the values.
         *
         * @param username the user name, which may not contain {@code :} (RFC 7617)
         * @param password the password
         * @throws IllegalArgumentException if one is blank or holds a line break, or the user name holds {@code :}
         */
        public Basic {
            Secrets.requireValue("username", username);
            if (username.indexOf(':') >= 0) {
                throw new IllegalArgumentException("credential field 'username' must not contain ':'");
            }
            Secrets.requireValue("password", password);
        }

        /**
         * {@inheritDoc}
         */
        @Override
        public String kind() {
            return "BASIC";
        }

        /**
         * {@inheritDoc}
         */
        @Override
        public boolean fitsType(ConnectionType type) {
            return type == ConnectionType.HTTP || type == ConnectionType.KUBERNETES;
        }

        /**
         * Shows the user name, hides the password.
         *
         * @return {@code Basic[username=NAME, password=***]}
         */
        @Override
        public String toString() {
            return "Basic[username=" + username + ", password=" + REDACTED + "]";
        }
    }

    /**
     * Request headers added to every request, for APIs keyed by something like {@code X-Api-Key}.
     *
     * @param headers header names to values, in the order they are sent
     */
    record Headers(Map<String, String> headers) implements Credential {

        // RFC 9110 token characters; anything else could split or smuggle a header.
        private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}");

        /**
         * Checks the headers and keeps their order.
         *
         * @param headers header names to values, in the order they are sent
         * @throws IllegalArgumentException if there are none, a name is not an HTTP token or repeats, or a value is
         *     blank or holds a line break
         */
        public Headers {
            if (headers == null || headers.isEmpty()) {
                throw new IllegalArgumentException("credential field 'headers' must name at least one header");
            }
            Set<String> seen = new HashSet<>();
            Map<String, String> copy = new LinkedHashMap<>();
            for (Map.Entry<String, String> header : headers.entrySet()) {
                String name = header.getKey();
                if (name == null || !HEADER_NAME.matcher(name).matches()) {
                    // the bad name is not echoed: people paste "Name: value" whole, value included
                    throw new IllegalArgumentException(
                            "credential field 'headers' holds a header name that is not a valid HTTP token");
                }
                if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("credential field 'headers' names header '" + name + "' twice");
                }
                Secrets.requireValue("headers." + name, header.getValue());
                copy.put(name, header.getValue());
            }
            headers = Collections.unmodifiableMap(copy);
        }

        /**
         * {@inheritDoc}
         */
        @Override
        public String kind() {
            return "HEADERS";
        }

        /**
         * {@inheritDoc}
         */
        @Override
        public boolean fitsType(ConnectionType type) {
            return type == ConnectionType.HTTP || type == ConnectionType.KUBERNETES;
        }

        /**
         * Shows the header names, hides their values.
         *
         * @return {@code Headers[headers={X-Api-Key=***}]}
         */
        @Override
        public String toString() {
            return headers.keySet().stream()
                    .map(name -> name + "=" + REDACTED)
                    .collect(Collectors.joining(", ", "Headers[headers={", "}]"));
        }
    }

    /**
     * A database user name and password, for PostgreSQL.
     *
     * @param username the database user
     * @param password the password
     */
    record Password(String username, String password) implements Credential {

        /**
         * Checks the values.
         *
         * @param username the database user
         * @param password the password
         * @throws IllegalArgumentException if one is blank or holds a line break or NUL
         */
        public Password {
            Secrets.requireValue("username", username);
            Secrets.requireValue("password", password);
        }

        /**
         * {@inheritDoc}
         */
        @Override
        public String kind() {
            return "PASSWORD";
        }

        /**
         * {@inheritDoc}
         */
        @Override
        public boolean fitsType(ConnectionType type) {
            return type == ConnectionType.POSTGRES;
        }

        /**
         * Shows the user name, hides the password.
         *
         * @return {@code Password[username=NAME, password=***]}
         */
        @Override
        public String toString() {
            return "Password[username=" + username + ", password=" + REDACTED + "]";
        }
    }
}
