package dev.portcullis.policy.masking;

import dev.portcullis.policy.Detector;
import java.util.List;

/**
 * Finds telephone numbers: E.164 ({@code +} and 8 to 15 digits, separators allowed), or national formats of 8 to 15
 * digits in groups joined by single spaces, dashes or dots, with an optional area code in parentheses
 * ({@code (555) 010-1234}, {@code 020 7946 0958}, {@code 1-800-555-0199}).
 *
 * <p>Digits are everywhere in responses, so a number without a {@code +} must be written with separators, and shapes
 * that are something else are refused: dates ({@code 2024-01-15}, {@code 15.01.2024}) and times ({@code 10:30} right
 * after the number), dotted quads (left to {@code IP_ADDRESS}), decimals ({@code 3.14159265}), thousands grouping
 * ({@code 12 345 678}), version strings and lists ({@code 10.0.19041.1}: a group of one digit after the first, unless
 * it follows a country code), the SSN
 * shape {@code 123-45-6789} (left to {@code US_SSN}), and numbers glued to letters or continued by {@code /} or
 * {@code :} and a digit.
 *
 * <p>Two numbers separated by one space read as one run; when the run is too long to be a phone and its first part
 * uses no spaces ({@code 555-010-1234 555-010-9876}), the part before the first space is tried on its own.
 */
final class PhoneScanner implements Scanner {

    private static final int MIN_DIGITS = 8;
    private static final int MAX_DIGITS = 15;
    private static final int MAX_AREA_DIGITS = 4;
    private static final int MAX_GROUPS = 8;

    @Override
    public Detector detector() {
        return Detector.PHONE;
    }

    @Override
    public boolean mayOccur(TextProfile profile) {
        return profile.digits >= MIN_DIGITS;
    }

    @Override
    public void scan(String text, List<Finding> out) {
        Groups groups = new Groups();
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            boolean canStart = c == '+' ? Chars.isDigitAt(text, i + 1) : Chars.isDigit(c) || c == '(';
            if (canStart && leftBoundary(text, i)) {
                i = candidate(text, i, groups, out);
            } else {
                i++;
            }
        }
    }

    /** The groups of one candidate; one instance serves a whole scan so candidates allocate nothing. */
    private static final class Groups {
        // one more than a phone may have, so that "too many groups" is still seen
        final int[] starts = new int[MAX_GROUPS + 1];
        final int[] ends = new int[MAX_GROUPS + 1];
        final boolean[] paren = new boolean[MAX_GROUPS + 1];
        /** The separator after each group: space, dash, dot, or 0 where a digit follows a closing parenthesis. */
        final char[] separators = new char[MAX_GROUPS + 1];

        int count;

        int length(int g) {
            return ends[g] - starts[g];
        }

        /** Where the text of group {@code g} ends, including its closing parenthesis. */
        int textEnd(int g) {
            return paren[g] ? ends[g] + 1 : ends[g];
        }
    }

    private static boolean leftBoundary(String text, int start) {
        char before = Chars.at(text, start - 1);
        if (Chars.isWord(before) || before == '+') {
            return false;
        }
        // continuing a number written with other punctuation: 1.5551234567, 12/555 0101, 10:30 …
        boolean glued = before == '.' || before == '-' || before == '/' || before == ':' || before == ',';
        return !(glued && Chars.isDigitAt(text, start - 2));
    }

    /** Reads the longest phone-like run from {@code start}, records what is valid in it, returns where to go on. */
    private static int candidate(String text, int start, Groups groups, List<Finding> out) {
        int n = text.length();
        boolean plus = text.charAt(start) == '+';
        int j = plus ? start + 1 : start;
        int count = 0;
        int runEnd = j;
        while (true) {
            int digitsStart;
            int digitsEnd;
            boolean paren = false;
            if (Chars.at(text, j) == '(') {
                int k = j + 1;
                while (k < n && Chars.isDigit(text.charAt(k)) && k - j <= MAX_AREA_DIGITS) {
                    k++;
                }
                if (k == j + 1 || Chars.at(text, k) != ')') {
                    break;
                }
                digitsStart = j + 1;
                digitsEnd = k;
                j = k + 1;
                paren = true;
            } else if (Chars.isDigitAt(text, j)) {
                digitsStart = j;
                while (j < n && Chars.isDigit(text.charAt(j))) {
                    j++;
                }
                digitsEnd = j;
            } else {
                break;
            }
            if (count <= MAX_GROUPS) {
                groups.starts[count] = digitsStart;
                groups.ends[count] = digitsEnd;
                groups.paren[count] = paren;
                groups.separators[count] = 0;
            }
            count++;
            runEnd = j;
            char next = Chars.at(text, j);
            boolean separated = (next == ' ' || next == '-' || next == '.')
                    && (Chars.isDigitAt(text, j + 1) || Chars.at(text, j + 1) == '(');
            if (separated) {
                if (count <= MAX_GROUPS + 1) {
                    groups.separators[count - 1] = next;
                }
                j++;
            } else if (!(paren && (Chars.isDigit(next) || next == '('))) {
                break;
            }
        }
        if (count == 0) {
            return start + 1;
        }
        groups.count = Math.min(count, MAX_GROUPS + 1);
        if (count <= MAX_GROUPS && valid(text, plus, groups, count - 1)) {
            out.add(new Finding(Detector.PHONE, start, runEnd));
            return runEnd;
        }
        int firstSpace = -1;
        for (int g = 0; g < groups.count - 1 && firstSpace < 0; g++) {
            if (groups.separators[g] == ' ') {
                firstSpace = g;
            }
        }
        if (firstSpace >= 0 && valid(text, plus, groups, firstSpace)) {
            int end = groups.textEnd(firstSpace);
            out.add(new Finding(Detector.PHONE, start, end));
            return end;
        }
        return runEnd;
    }

    /** Whether groups {@code 0..last} of the run make a phone number. */
    private static boolean valid(String text, boolean plus, Groups groups, int last) {
        int digits = 0;
        int parens = 0;
        for (int g = 0; g <= last; g++) {
            digits += groups.length(g);
            if (groups.paren[g]) {
                parens++;
            } else if (g > 0 && groups.length(g) < 2 && !(plus && g == 1)) {
                // later groups of a single digit are lists or versions, not phone numbers; after a country code
                // one digit may be an area code (+33 1 23 45 67 89)
                return false;
            }
        }
        if (digits < MIN_DIGITS || digits > MAX_DIGITS || !rightBoundary(text, groups.textEnd(last))) {
            return false;
        }
        return plus || parens > 0 || nationalShape(text, groups, last);
    }

    private static boolean rightBoundary(String text, int end) {
        char after = Chars.at(text, end);
        if (Chars.isWord(after)) {
            return false;
        }
        boolean continued = after == '/' || after == ':' || after == ',' || after == '.' || after == '-';
        return !(continued && Chars.isDigitAt(text, end + 1));
    }

    /** The refusals for a number written without {@code +} or parentheses. */
    private static boolean nationalShape(String text, Groups groups, int last) {
        int count = last + 1;
        if (count < 2) {
            // a plain run of digits is an id, an amount or a timestamp
            return false;
        }
        char first = groups.separators[0];
        boolean same = true;
        for (int g = 1; g < last; g++) {
            same &= groups.separators[g] == first;
        }
        if (count >= 3 && looksLikeDate(text, groups)) {
            return false;
        }
        if (same
                && first == '-'
                && count == 3
                && groups.length(0) == 3
                && groups.length(1) == 2
                && groups.length(2) == 4) {
            return false;
        }
        if (same && first == '.' && (count == 2 || (count == 4 && allAtMost(groups, last, 3)))) {
            return false;
        }
        if (same && (first == ' ' || first == '.') && count >= 3 && groups.length(0) <= 3) {
            boolean thousands = true;
            for (int g = 1; g <= last; g++) {
                thousands &= groups.length(g) == 3;
            }
            return !thousands;
        }
        return true;
    }

    private static boolean allAtMost(Groups groups, int last, int length) {
        for (int g = 0; g <= last; g++) {
            if (groups.length(g) > length) {
                return false;
            }
        }
        return true;
    }

    /** Year-month-day or day-month-year (either order of day and month) in the first three groups. */
    private static boolean looksLikeDate(String text, Groups groups) {
        if (groups.length(0) == 4 && groups.length(1) == 2 && groups.length(2) == 2) {
            int month = value(text, groups, 1);
            int day = value(text, groups, 2);
            return isYear(value(text, groups, 0)) && month >= 1 && month <= 12 && day >= 1 && day <= 31;
        }
        if (groups.length(0) == 2 && groups.length(1) == 2 && groups.length(2) == 4) {
            int a = value(text, groups, 0);
            int b = value(text, groups, 1);
            boolean dayMonth = a >= 1 && a <= 31 && b >= 1 && b <= 12;
            boolean monthDay = a >= 1 && a <= 12 && b >= 1 && b <= 31;
            return isYear(value(text, groups, 2)) && (dayMonth || monthDay);
        }
        return false;
    }

    private static boolean isYear(int value) {
        return value >= 1900 && value <= 2099;
    }

    private static int value(String text, Groups groups, int g) {
        int value = 0;
        for (int i = groups.starts[g]; i < groups.ends[g]; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }
}
