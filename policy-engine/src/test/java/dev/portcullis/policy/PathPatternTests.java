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
}
