package dev.portcullis.policy.masking;

import dev.portcullis.policy.Detector;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scanner that finds candidates with a regular expression and keeps those its check accepts.
 *
 * <p>The expression is only tried where a value could start: a cheap test of a character or two (an upper-case
 * letter followed by another and two digits, for an IBAN) at a position not preceded by a letter or digit. That skips
 * nearly every position of ordinary text without entering the regex engine, which would otherwise be tried at each
 * one. The patterns also carry their own boundaries as look-arounds (seen through the region's start), so that trying
 * again one character after a rejected candidate cannot find a bogus value inside it (the {@code 99.1.1.1} inside
 * {@code 999.1.1.1}).
 */
final class PatternScanner implements Scanner {

    /** Whether a value could start at an index; must be cheap, and true wherever the pattern could match. */
    @FunctionalInterface
    interface Start {
        boolean at(String text, int index);
    }

    /** Accepts one candidate span of the text, possibly shortened, or rejects it. */
    @FunctionalInterface
    interface Check {
        /** Returns the end of the accepted value ({@code end} or less), or {@code -1} to reject the candidate. */
        int accept(String text, int start, int end);

        /** A check that accepts the candidate whole or not at all. */
        static Check whole(Span span) {
            return (text, start, end) -> span.valid(text, start, end) ? end : -1;
        }
    }

    /** A yes-or-no test of a span. */
    @FunctionalInterface
    interface Span {
        boolean valid(String text, int start, int end);
    }

    private final Detector detector;
    private final Pattern pattern;
    private final Predicate<TextProfile> mayOccur;
    private final Start start;
    private final Check check;

    PatternScanner(Detector detector, Pattern pattern, Predicate<TextProfile> mayOccur, Start start, Check check) {
        this.detector = detector;
        this.pattern = pattern;
        this.mayOccur = mayOccur;
        this.start = start;
        this.check = check;
    }

    @Override
    public Detector detector() {
        return detector;
    }

    @Override
    public boolean mayOccur(TextProfile profile) {
        return mayOccur.test(profile);
    }

    @Override
    public void scan(String text, List<Finding> out) {
        int n = text.length();
        Matcher matcher = null;
        int i = 0;
        while (i < n) {
            boolean standsApart = i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1));
            if (!standsApart || !start.at(text, i)) {
                i++;
                continue;
            }
            if (matcher == null) {
                matcher = pattern.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
            }
            matcher.region(i, n);
            int accepted = matcher.lookingAt() ? check.accept(text, i, matcher.end()) : -1;
            if (accepted > i) {
                out.add(new Finding(detector, i, accepted));
                i = accepted;
            } else {
                i++;
            }
        }
    }
}
