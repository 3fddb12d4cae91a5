package dev.portcullis.policy.eval;

import dev.portcullis.policy.connection.ConnectionType;
import java.util.Set;

/**
 * Everything the engine judges a request by: who asks, through which connection, to do what.
 *
 * @param subject the authenticated caller
 * @param connection the connection's name
 * @param connectionTags the connection's tags, which {@code tag:} selectors of policies match
 * @param connectionType the connection's type; on {@link ConnectionType#KUBERNETES} a request whose path is not
 *     understood is refused (see {@link PolicyEngine#evaluate})
 * @param operation what the request asks to do
 */
public record RequestContext(
        Subject subject,
        String connection,
        Set<String> connectionTags,
        ConnectionType connectionType,
        Operation operation) {

    /**
     * Checks the parts and copies the tags; {@code null} tags stand for none.
     *
     * @param subject the authenticated caller
     * @param connection the connection's name
     * @param connectionTags the connection's tags
     * @param connectionType the connection's type
     * @param operation what the request asks to do
     * @throws IllegalArgumentException if a part other than the tags is missing, or a tag is {@code null}
     */
    public RequestContext {
        if (subject == null) {
            throw new IllegalArgumentException("subject must not be null");
        }
        if (connection == null || connection.isBlank()) {
            throw new IllegalArgumentException("connection must not be empty");
        }
        if (connectionTags == null) {
            connectionTags = Set.of();
        } else {
            for (String tag : connectionTags) {
                if (tag == null) {
                    throw new IllegalArgumentException("connection tags must not contain null");
                }
            }
            // a no-op for the immutable sets a snapshot holds
            connectionTags = Set.copyOf(connectionTags);
        }
        if (connectionType == null) {
            throw new IllegalArgumentException("connectionType must not be null");
        }
        if (operation == null) {
            throw new IllegalArgumentException("operation must not be null");
        }
    }
}
