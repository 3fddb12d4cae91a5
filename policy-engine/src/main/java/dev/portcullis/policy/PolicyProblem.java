package dev.portcullis.policy;

/**
 * One thing wrong with a policy document, located so that an editor can point at it.
 *
 * @param path where in the document, such as {@code rules[0].when.sql.kinds[1]}; empty for the document as a whole
 * @param line the 1-based line, or {@code null} if the problem has no place (an empty document)
 * @param column the 1-based column, or {@code null} with the line
 * @param message what is wrong, in words meant for the person editing the policy
 */
public record PolicyProblem(String path, Integer line, Integer column, String message) {

    /**
     * Normalizes a {@code null} path to the empty path.
     *
     * @param path where in the document, such as {@code rules[0].when.sql.kinds[1]}; empty for the document as a whole
     * @param line the 1-based line, or {@code null} if the problem has no place (an empty document)
     * @param column the 1-based column, or {@code null} with the line
     * @param message what is wrong, in words meant for the person editing the policy
     * @throws IllegalArgumentException if the message is empty
     */
    public PolicyProblem {
        path = path == null ? "" : path;
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("a problem needs a message");
        }
    }

    /**
     * Renders the problem on one line, prefixed with its line number when it has one.
     *
     * @return {@code line 7: unknown key 'whne' ...} or just the message
     */
    public String describe() {
        return line == null ? message : "line " + line + ": " + message;
    }
}
