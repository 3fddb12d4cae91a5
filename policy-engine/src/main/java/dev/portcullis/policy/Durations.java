package dev.portcullis.policy;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes durations the way people write them in a policy ({@code 60s}, {@code 5m}, {@code 2h},
 * {@code 500ms}), also accepting ISO-8601 ({@code PT1M}) because that is what JSON tools tend to produce.
 */
final class Durations {

    static final String EXPECTED = "a duration like 60s, 5m, 2h, 500ms or PT1M";

    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private Durations() {}

    static Duration parse(String text) {
        String trimmed = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Matcher matcher = SHORT.matcher(trimmed);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        if (trimmed.startsWith("p")) {
            try {
                return Duration.parse(trimmed.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                // fall through to the one message that shows the accepted forms
            }
        }
        throw new IllegalArgumentException(EXPECTED);
    }

    /**
     * Writes the largest unit that represents the duration exactly, so the round trip is lossless; except that under
     * two minutes whole seconds are kept, because that is how people write short holds ({@code 60s}, {@code 90s}).
     */
    static String format(Duration duration) {
        if (duration.isNegative() || duration.getNano() % 1_000_000 != 0) {
            return duration.toString();
        }
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0s";
        }
        if (millis % 1_000 == 0 && millis < 120_000) {
            return millis / 1_000 + "s";
        }
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1_000 == 0) {
            return millis / 1_000 + "s";
        }
        return millis + "ms";
    }
}
