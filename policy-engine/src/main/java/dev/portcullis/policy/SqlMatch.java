package dev.portcullis.policy;

import java.util.List;

/**
 * The SQL part of a condition, judged per statement. Every given part must hold; an empty list or a {@code null}
 * value does not constrain, so an empty {@code SqlMatch} matches any SQL statement (and no HTTP request).
 *
 * @param kinds statement kinds, any of which matches
 * @param withoutWhere {@code true} to match only statements without a {@code WHERE} clause, {@code false} only
 *     statements with one, {@code null} for either
 * @param tables tables touched, any of which matches
 * @param functions functions called, any of which matches
 * @param pattern a Java regular expression searched for in the statement text, or {@code null}
 */
public record SqlMatch(
        List<SqlKind> kinds, Boolean withoutWhere, List<String> tables, List<String> functions, String pattern) {

    /**
     * Copies the lists and checks that the pattern compiles.
     *
     * @param kinds statement kinds, any of which matches
     * @param withoutWhere {@code true} to match only statements without a {@code WHERE} clause, {@code false} only
     *     statements with one, {@code null} for either
     * @param tables tables touched, any of which matches
     * @param functions functions called, any of which matches
     * @param pattern a Java regular expression searched for in the statement text, or {@code null}
     * @throws IllegalArgumentException if a list holds an empty entry or the pattern is not a valid regular expression
     */
    public SqlMatch {
        kinds = Checks.list("kinds", kinds);
        tables = Checks.texts("tables", tables);
        functions = Checks.texts("functions", functions);
        if (pattern != null) {
            Checks.regex(pattern);
        }
    }
}
