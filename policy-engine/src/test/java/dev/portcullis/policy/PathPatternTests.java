package dev.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PathPatternTests {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        "/customers/**, /customers, true",
        "/customers/**, /customers/, true",
        "/customers/**, /customers/7, true",
        "/customers/**, /customers/7/orders/2, true",
        "/customers/**, /customersx, false",
        "/customers/**, /customer, false",
        "/customers/**, /admin/customers/7, false",
        "/admin/**, //admin/stats, true",
        "/admin/**, /customers/../admin/stats, true",
        "/admin/**, /./admin/stats, true",
        "/admin/**, /../../admin, true",
        "/customers/**, /customers/../admin, false",
        "/api/*/items, /api/v1/items, true",
        "/api/*/items, /api/items, false",
        "/api/*/items, /api/v1/v2/items, false",
        "/api/v?/items, /api/v1/items, true",
        "/api/v?/items, /api/v10/items, false",
        "/files/*.csv, /files/report.csv, true",
        "/files/*.csv, /files/report.csv.gz, false",
        "/files/*.csv, /files/.csv, true",
        "/files/**/*.csv, /files/a/b/c.csv, true",
        "/files/**/*.csv, /files/c.csv, true",
        "/files/**/*.csv, /files/a/c.txt, false",
        "/**, /, true",
        "/**, /anything/at/all, true",
        "/, /, true",
        "/, /x, false",
        "/**/secrets, /api/v1/namespaces/prod/secrets, true",
        "/**/secrets, /api/v1/namespaces/prod/secrets/db, false",
        "/a/**/b/**/c, /a/x/b/y/z/c, true",
        "/a/**/b/**/c, /a/b/c, true",
        "/a/**/b/**/c, /a/c/b, false",
        "/health, /health, true",
        "/health, /Health, false",
        "/health, /health/, true",
        "/a*b*c, /aXXbYYc, true",
        "/a*b*c, /aXXbYY, false",
        "/*, /x, true",
        "/*, /, false",
    })
    void matchesWhenPathThenExpected(String pattern, String path, boolean expected) {
        assertThat(new PathPattern(pattern).matches(path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"relative/path", "*"})
    void matchesWhenPathIsNotAbsoluteThenFalse(String path) {
        assertThat(new PathPattern("/**").matches(path)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"customers/**", "**", " ", "/with space"})
    void newWhenPatternInvalidThenRefused(String pattern) {
        assertThatIllegalArgumentException().isThrownBy(() -> new PathPattern(pattern));
    }

    @Test
    void matchesWhenManySegmentsAndManyWildcardsThenFast() {
        PathPattern pattern = new PathPattern("/**/a/**/a/**/a/**/a/**/b");
        String path = "/a".repeat(5_000);

        long started = System.nanoTime();
        assertThat(pattern.matches(path)).isFalse();
        assertThat(System.nanoTime() - started).isLessThan(2_000_000_000L);
    }

    @Test
    void matchesWhenRandomPatternsAndPathsThenAsAReferenceMatcher() {
        // Patterns with ** at the end or nowhere take the segment-by-segment path, others the general table:
        // both must agree with a plain recursive matcher over resolved segments.
        java.util.Random random = new java.util.Random(11);
        String[] patternParts = {"a", "b", "*", "a*", "?", "**", "c?", "*b"};
        String[] pathParts = {"a", "b", "ab", "c1", "", ".", "..", "abc", "cb"};
        int matched = 0;
        for (int round = 0; round < 20_000; round++) {
            String pattern = "/" + join(random, patternParts, 5);
            String path = "/" + join(random, pathParts, 6);
            java.util.List<String> patternSegments = java.util.Arrays.stream(pattern.split("/"))
                    .filter(x -> !x.isEmpty())
                    .toList();
            java.util.List<String> pathSegments = new java.util.ArrayList<>();
            for (String segment : path.split("/")) {
                if (segment.equals("..")) {
                    if (!pathSegments.isEmpty()) {
                        pathSegments.remove(pathSegments.size() - 1);
                    }
                } else if (!segment.isEmpty() && !segment.equals(".")) {
                    pathSegments.add(segment);
                }
            }
            boolean expected = reference(patternSegments, 0, pathSegments, 0);
            matched += expected ? 1 : 0;

            assertThat(new PathPattern(pattern).matches(path))
                    .as("%s against %s", pattern, path)
                    .isEqualTo(expected);
        }
        assertThat(matched).as("paths that match").isGreaterThan(1_000);
    }

    private static String join(java.util.Random random, String[] parts, int most) {
        StringBuilder out = new StringBuilder();
        int n = random.nextInt(most + 1);
        for (int i = 0; i < n; i++) {
            out.append(i == 0 ? "" : "/").append(parts[random.nextInt(parts.length)]);
        }
        return out.toString();
    }

    private static boolean reference(java.util.List<String> p, int i, java.util.List<String> s, int j) {
        if (i == p.size()) {
            return j == s.size();
        }
        if (p.get(i).equals("**")) {
            return reference(p, i + 1, s, j) || (j < s.size() && reference(p, i, s, j + 1));
        }
        String regex = p.get(i).replace("?", ".").replace("*", ".*");
        return j < s.size() && s.get(j).matches(regex) && reference(p, i + 1, s, j + 1);
    }
}
