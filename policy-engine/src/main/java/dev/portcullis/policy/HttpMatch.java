package dev.portcullis.policy;

import java.util.List;

/**
 * The HTTP part of a condition: the method and the path. An empty list does not constrain.
 *
 * @param methods HTTP methods, upper case, any of which matches
 * @param paths Ant-style path patterns (see {@link PathPattern}), any of which matches
 */
public record HttpMatch(List<String> methods, List<String> paths) {

    /**
     * Upper-cases the methods and checks them and the path patterns.
     *
     * @param methods HTTP methods, upper case, any of which matches
     * @param paths Ant-style path patterns (see {@link PathPattern}), any of which matches
     * @throws IllegalArgumentException for an unknown method or a path pattern that does not start with {@code /}
     */
    public HttpMatch {
        methods = Checks.list("methods", methods, Checks::httpMethod);
        paths = Checks.list("paths", paths, path -> new PathPattern(path).pattern());
    }

    /**
     * Returns the path patterns ready for matching.
     *
     * @return one {@link PathPattern} per entry of {@link #paths()}
     */
    public List<PathPattern> pathPatterns() {
        return paths.stream().map(PathPattern::new).toList();
    }
}
