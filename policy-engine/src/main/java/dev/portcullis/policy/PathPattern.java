package dev.portcullis.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * An Ant-style pattern for request paths: {@code ?} matches one character and {@code *} any run of characters within
 * one segment, and a segment that is exactly {@code **} matches any number of segments, none included. So
 * {@code /customers/**} matches {@code /customers}, {@code /customers/7} and {@code /customers/7/orders}, and
 * {@code /api/*}{@code /items} matches {@code /api/v1/items} but not {@code /api/items}.
 *
 * <p>Matching is case-sensitive and literal: the caller passes the decoded path without its query. Empty segments and
 * dot segments in the path are resolved first, the way the server behind the proxy would resolve them, so that
 * {@code /customers/../admin/stats} or {@code //admin/stats} cannot slip past a rule on {@code /admin/**}.
 *
 * <p>The matching cost is bounded by the product of the pattern and path lengths, whatever the path, because paths
 * come from the callers being policed.
 *
 * <p>The pattern is split into segments once, when it is made; a pattern with {@code **} nowhere or only at its end
 * (the usual {@code /customers/**}) is matched segment by segment, without the general table.
 */
public final class PathPattern {

    private static final String ANY_SEGMENTS = "**";

    private final String pattern;

    private final String[] patternSegments;

    /** Segments before a trailing {@code **}, or all of them; -1 if {@code **} occurs elsewhere. */
    private final int fixedPrefix;

    private final boolean trailingAny;

    /**
     * Checks the pattern.
     *
     * @param pattern the pattern, starting with {@code /}
     * @throws IllegalArgumentException if the pattern is empty or does not start with {@code /}
     */
    public PathPattern(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("HTTP path pattern must not be empty");
        }
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("HTTP path pattern " + Checks.quote(pattern) + " must start with '/'");
        }
        if (pattern.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(
                    "HTTP path pattern " + Checks.quote(pattern) + " must not contain whitespace");
        }
        this.pattern = pattern;
        this.patternSegments = segments(pattern, false).toArray(String[]::new);
        int n = patternSegments.length;
        boolean trailing = n > 0 && patternSegments[n - 1].equals(ANY_SEGMENTS);
        int fixed = trailing ? n - 1 : n;
        for (int i = 0; i < fixed; i++) {
            if (patternSegments[i].equals(ANY_SEGMENTS)) {
                fixed = -1;
                break;
            }
        }
        this.fixedPrefix = fixed;
        this.trailingAny = trailing;
    }

    /**
     * Returns the pattern as written.
     *
     * @return the pattern
     */
    public String pattern() {
        return pattern;
    }

    /**
     * Tells whether a request path matches this pattern.
     *
     * @param path the decoded request path, starting with {@code /}
     * @return {@code true} if the path matches; {@code false} for {@code null} or relative paths
     */
    public boolean matches(String path) {
        if (path == null || !path.startsWith("/")) {
            return false;
        }
        List<String> pathSegments = segments(path, true);
        int s = pathSegments.size();
        if (fixedPrefix >= 0) {
            if (trailingAny ? s < fixedPrefix : s != fixedPrefix) {
                return false;
            }
            for (int i = 0; i < fixedPrefix; i++) {
                if (!segmentMatches(patternSegments[i], pathSegments.get(i))) {
                    return false;
                }
            }
            return true;
        }
        int p = patternSegments.length;
        // matched[i][j]: the pattern from segment i matches the path from segment j
        boolean[][] matched = new boolean[p + 1][s + 1];
        matched[p][s] = true;
        for (int i = p - 1; i >= 0; i--) {
            String segment = patternSegments[i];
            boolean anySegments = segment.equals(ANY_SEGMENTS);
            for (int j = s; j >= 0; j--) {
                if (anySegments) {
                    matched[i][j] = matched[i + 1][j] || (j < s && matched[i][j + 1]);
                } else {
                    matched[i][j] = j < s && matched[i + 1][j + 1] && segmentMatches(segment, pathSegments.get(j));
                }
            }
        }
        return matched[0][0];
    }

    /**
     * Returns the pattern as written.
     *
     * @return the pattern
     */
    @Override
    public String toString() {
        return pattern;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PathPattern that && pattern.equals(that.pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    private static List<String> segments(String text, boolean resolveDots) {
        List<String> segments = new ArrayList<>();
        for (String segment : text.split("/", -1)) {
            if (segment.isEmpty() || (resolveDots && segment.equals("."))) {
                continue;
            }
            if (resolveDots && segment.equals("..")) {
                // as RFC 3986 remove_dot_segments does, ".." above the root stays at the root
                if (!segments.isEmpty()) {
                    segments.remove(segments.size() - 1);
                }
                continue;
            }
            segments.add(segment);
        }
        return segments;
    }

    /** Wildcard match within one segment; {@code *} backtracks to the last star only, which keeps it linear-ish. */
    private static boolean segmentMatches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int starText = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                starText = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++starText;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
