package dev.portcullis.policy.connection;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Checks and normalizes the {@code target} of a connection: where the proxy sends the caller's traffic.
 *
 * <p>Credentials travel separately and encrypted, so a target must not carry any (no user-info); and it names a place,
 * not a request, so it has no query or fragment.
 */
public final class ConnectionTargets {

    /** The PostgreSQL port used when a target does not give one. */
    public static final int DEFAULT_POSTGRES_PORT = 5432;

    private static final String POSTGRES_SCHEME = "postgresql";

    private ConnectionTargets() {}

    /**
     * Checks a target for a type of connection and returns it in normal form.
     *
     * <ul>
     *   <li>{@code HTTP}, {@code KUBERNETES}: an absolute {@code http} or {@code https} URL with a host, optionally a
     *       port and a base path; normalized to a lower-case scheme and host and no trailing slash, such as
     *       {@code https://api.example.com/v1}.
     *   <li>{@code POSTGRES}: {@code postgresql://host[:port]/database} ({@code postgres://} and a bare
     *       {@code host[:port]/database} are accepted too); normalized to {@code postgresql://host:port/database}
     *       with the port spelt out.
     * </ul>
     *
     * @param type the connection type
     * @param target the target as given
     * @return the normalized target
     * @throws IllegalArgumentException saying what is wrong with the target
     */
    public static String validate(ConnectionType type, String target) {
        if (type == null) {
            throw new IllegalArgumentException("connection type is required");
        }
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("target is required");
        }
        return switch (type) {
            case HTTP, KUBERNETES -> http(target.trim());
            case POSTGRES -> postgres(target.trim());
        };
    }

    private static String http(String target) {
        URI uri = parse(target, "an absolute http or https URL such as https://api.example.com");
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException(
                    "target must be an absolute http or https URL such as https://api.example.com");
        }
        String authority = authority(uri, -1);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return scheme + "://" + authority + path;
    }

    private static String postgres(String target) {
        String withScheme = target.contains("://") ? target : POSTGRES_SCHEME + "://" + target;
        URI uri = parse(withScheme, "postgresql://host:port/database");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals(POSTGRES_SCHEME) && !scheme.equals("postgres")) {
            throw new IllegalArgumentException("target must look like postgresql://host:port/database");
        }
        String authority = authority(uri, DEFAULT_POSTGRES_PORT);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = path.startsWith("/") ? path.substring(1) : path;
        if (database.isEmpty()) {
            throw new IllegalArgumentException("target must name the database: postgresql://host:port/database");
        }
        if (database.contains("/")) {
            throw new IllegalArgumentException("target must name exactly one database after the host");
        }
        return POSTGRES_SCHEME + "://" + authority + "/" + database;
    }

    private static URI parse(String target, String expected) {
        try {
            return new URI(target);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("target is not a valid URL; expected " + expected);
        }
    }

    /** Host and port, checked for the parts that would smuggle credentials or a request into a target. */
    private static String authority(URI uri, int defaultPort) {
        if (uri.getRawUserInfo() != null) {
            // the user-info may hold a password, so it is not echoed
            throw new IllegalArgumentException(
                    "target must not contain a user name or password; put them in the credential");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("target must name a host");
        }
        if (uri.getRawQuery() != null) {
            throw new IllegalArgumentException("target must not have a query ('?...')");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("target must not have a fragment ('#...')");
        }
        int port = uri.getPort() == -1 ? defaultPort : uri.getPort();
        if (uri.getPort() != -1 && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("target port must be between 1 and 65535");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        return port == -1 ? host : host + ":" + port;
    }
}
