package dev.portcullis.policy.masking;

import dev.portcullis.policy.Detector;
import java.util.Arrays;
import java.util.List;

/**
 * Finds payment card numbers: 13 to 19 digits, written together or in groups joined by single spaces or single dashes
 * (one kind per number), that name a card network and pass the Luhn check.
 *
 * <p>A chain of digit groups is read first, then the longest run of whole groups that is a valid card is taken, so
 * {@code 4242 4242 4242 4242 12/27} yields the card without the expiry, and {@code 1234 4242424242424242} yields the
 * card without the leading number. In a grouped number each group has 3 to 6 digits, as printed cards have; that
 * keeps lists of small numbers such as {@code 4 1 1 1 …} out. A chain glued to a letter, or to a decimal point
 * followed by a digit, is a different token (an identifier, a decimal fraction) and is skipped whole.
 */
final class CardScanner implements Scanner {

    private static final int MIN_DIGITS = 13;
    private static final int MAX_DIGITS = 19;
    private static final int MIN_GROUP = 3;
    private static final int MAX_GROUP = 6;

    @Override
    public Detector detector() {
        return Detector.CREDIT_CARD;
    }

    @Override
    public boolean mayOccur(TextProfile profile) {
        return profile.digits >= MIN_DIGITS;
    }

    @Override
    public void scan(String text, List<Finding> out) {
        int n = text.length();
        int[] groupStarts = new int[8];
        int[] groupEnds = new int[8];
        int i = 0;
        while (i < n) {
            if (!Chars.isDigit(text.charAt(i))) {
                i++;
                continue;
            }
            // read the chain of digit groups that starts here
            int groups = 0;
            char separator = 0;
            int j = i;
            while (true) {
                int groupStart = j;
                while (j < n && Chars.isDigit(text.charAt(j))) {
                    j++;
                }
                if (groups == groupStarts.length) {
                    groupStarts = Arrays.copyOf(groupStarts, groups * 2);
                    groupEnds = Arrays.copyOf(groupEnds, groups * 2);
                }
                groupStarts[groups] = groupStart;
                groupEnds[groups] = j;
                groups++;
                char next = Chars.at(text, j);
                boolean joins = (next == ' ' || next == '-') && (separator == 0 || next == separator);
                if (!joins || !Chars.isDigitAt(text, j + 1)) {
                    break;
                }
                separator = next;
                j++;
            }
            if (standsAlone(text, i, j)) {
                takeCards(text, groupStarts, groupEnds, groups, out);
            }
            i = j;
        }
    }

    private static boolean standsAlone(String text, int start, int end) {
        char before = Chars.at(text, start - 1);
        char after = Chars.at(text, end);
        if (Chars.isWord(before) || Chars.isWord(after)) {
            return false;
        }
        boolean fractionBefore = (before == '.' || before == ',') && Chars.isDigitAt(text, start - 2);
        boolean fractionAfter = (after == '.' || after == ',') && Chars.isDigitAt(text, end + 1);
        return !fractionBefore && !fractionAfter;
    }

    private static void takeCards(String text, int[] starts, int[] ends, int groups, List<Finding> out) {
        int first = 0;
        while (first < groups) {
            int taken = -1;
            int digits = 0;
            int last = first;
            // the furthest group that still keeps the run within 19 digits
            while (last < groups && digits + (ends[last] - starts[last]) <= MAX_DIGITS) {
                digits += ends[last] - starts[last];
                last++;
            }
            for (int candidate = last - 1; candidate >= first && taken < 0; candidate--) {
                if (isCard(text, starts, ends, first, candidate)) {
                    taken = candidate;
                }
            }
            if (taken >= 0) {
                out.add(new Finding(Detector.CREDIT_CARD, starts[first], ends[taken]));
                first = taken + 1;
            } else {
                first++;
            }
        }
    }

    private static boolean isCard(String text, int[] starts, int[] ends, int first, int last) {
        int digits = 0;
        for (int g = first; g <= last; g++) {
            int length = ends[g] - starts[g];
            if (first != last && (length < MIN_GROUP || length > MAX_GROUP)) {
                return false;
            }
            digits += length;
        }
        return digits >= MIN_DIGITS && digits <= MAX_DIGITS && Validators.card(text, starts[first], ends[last]);
    }
}
