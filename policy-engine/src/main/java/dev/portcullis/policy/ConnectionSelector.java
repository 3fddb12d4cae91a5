package dev.portcullis.policy;

import java.util.Collection;

/**
 * Says which connections a policy applies to: one connection by name, or every connection carrying a tag. In a
 * document a selector is a string, {@code demo-db} or {@code tag:prod}.
 */
public sealed interface ConnectionSelector permits ConnectionSelector.ByName, ConnectionSelector.ByTag {

    /** The prefix that turns a selector string into a tag selector. */
    String TAG_PREFIX = "tag:";

    /**
     * Tells whether a connection is selected.
     *
     * @param connectionName the connection's name
     * @param tags the connection's tags, may be {@code null} for none
     * @return {@code true} if the policy applies to that connection
     */
    boolean matches(String connectionName, Collection<String> tags);

    /**
     * Renders the selector the way a document writes it.
     *
     * @return {@code NAME} or {@code tag:NAME}
     */
    String asText();

    /**
     * Reads a selector string as written in a document.
     *
     * @param text {@code tag:NAME} for a tag selector, anything else is a connection name
     * @return the selector
     * @throws IllegalArgumentException if the text, or the tag after {@code tag:}, is empty
     */
    static ConnectionSelector parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("'connections' must not contain empty entries");
        }
        String trimmed = text.trim();
        if (trimmed.startsWith(TAG_PREFIX)) {
            return new ByTag(trimmed.substring(TAG_PREFIX.length()).trim());
        }
        return new ByName(trimmed);
    }

    /**
     * Selects one connection by its exact name.
     *
     * @param name the connection name
     */
    record ByName(String name) implements ConnectionSelector {

        /**
         * Checks the name.
         *
         * @param name the connection name
         * @throws IllegalArgumentException if the name is empty or contains whitespace
         */
        public ByName {
            if (name == null || name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("connection name must be non-empty and without whitespace");
            }
        }

        /**
         * {@inheritDoc}
         */
        @Override
        public boolean matches(String connectionName, Collection<String> tags) {
            return name.equals(connectionName);
        }

        /**
         * {@inheritDoc}
         */
        @Override
        public String asText() {
            return name;
        }
    }

    /**
     * Selects every connection that carries a tag.
     *
     * @param tag the tag, without the {@code tag:} prefix
     */
    record ByTag(String tag) implements ConnectionSelector {

        /**
         * Checks the tag.
         *
         * @param tag the tag, without the {@code tag:} prefix
         * @throws IllegalArgumentException if the tag is empty or contains whitespace
         */
        public ByTag {
            if (tag == null || tag.isBlank() || tag.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("tag in 'tag:NAME' must be non-empty and without whitespace");
            }
        }

        /**
         * {@inheritDoc}
         */
        @Override
        public boolean matches(String connectionName, Collection<String> tags) {
            return tags != null && tags.contains(tag);
        }

        /**
         * {@inheritDoc}
         */
        @Override
        public String asText() {
            return TAG_PREFIX + tag;
        }
    }
}
