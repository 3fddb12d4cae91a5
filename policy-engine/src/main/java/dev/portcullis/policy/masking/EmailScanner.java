package dev.portcullis.policy.masking;

import dev.portcullis.policy.Detector;
import java.util.List;

/**
 * Finds e-mail addresses: {@code local@domain.tld}, the local part dot-separated atoms of letters, digits and
 * {@code _ % + -}, the domain one to 16 labels (letters, digits and inner dashes, at most 63 characters each)
 * and a top-level domain of 2 to 63 letters, within the RFC 5321 lengths.
 *
 * <p>An address stands apart: it does not follow a letter, digit, local-part character or dot, and does not run on
 * into a domain character or a dot that starts another label ({@code a@example.com.} at the end of a sentence is
 * found, {@code a@example.com.x} is not). Each candidate is read once, left to right, with no backtracking: the
 * domain's last label is the one a dot and a letter or digit do not follow, and the whole address is refused when
 * that label is not a top-level domain, rather than searched for a shorter one that would end before a dot.
 */
final class EmailScanner implements Scanner {

    private static final int MAX_LABELS = 16;

    private static final int MAX_LABEL = 63;

    @Override
    public Detector detector() {
        return Detector.EMAIL;
    }

    @Override
    public boolean mayOccur(TextProfile profile) {
        return profile.ats > 0 && profile.dots > 0 && profile.letters >= 2;
    }

    @Override
    public void scan(String text, List<Finding> out) {
        int n = text.length();
        int i = 0;
        while (i < n) {
            if (!isLocalPartChar(text.charAt(i)) || (i > 0 && gluedTo(text.charAt(i - 1)))) {
                i++;
                continue;
            }
            int end = end(text, i);
            if (end > i && Validators.email(text, i, end)) {
                out.add(new Finding(Detector.EMAIL, i, end));
                i = end;
            } else {
                i++;
            }
        }
    }

    /** The end of the address that starts at {@code start}, or -1. */
    static int end(String text, int start) {
        int n = text.length();
        int j = start;
        while (true) {
            int k = j;
            while (k < n && isLocalPartChar(text.charAt(k))) {
                k++;
            }
            if (k == j) {
                return -1;
            }
            j = k;
            if (j + 1 < n && text.charAt(j) == '.' && isLocalPartChar(text.charAt(j + 1))) {
                j++;
                continue;
            }
            break;
        }
        if (j >= n || text.charAt(j) != '@') {
            return -1;
        }
        j++;
        for (int labels = 0; ; labels++) {
            int k = j;
            while (k < n && isDomainChar(text.charAt(k))) {
                k++;
            }
            boolean last = !(k + 1 < n && text.charAt(k) == '.' && isLetterOrDigit(text.charAt(k + 1)));
            if (last) {
                return labels > 0 && isTopLevel(text, j, k) ? k : -1;
            }
            if (labels == MAX_LABELS || !isLabel(text, j, k)) {
                return -1;
            }
            j = k + 1;
        }
    }

    /** A character before a candidate that makes it part of something larger. */
    private static boolean gluedTo(char before) {
        return Character.isLetterOrDigit(before) || isLocalPartChar(before) || before == '.';
    }

    private static boolean isLabel(String text, int start, int end) {
        int length = end - start;
        return length >= 1
                && length <= MAX_LABEL
                && isLetterOrDigit(text.charAt(start))
                && isLetterOrDigit(text.charAt(end - 1));
    }

    private static boolean isTopLevel(String text, int start, int end) {
        int length = end - start;
        if (length < 2 || length > MAX_LABEL) {
            return false;
        }
        for (int i = start; i < end; i++) {
            if (!Chars.isLetter(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isLocalPartChar(char c) {
        return isLetterOrDigit(c) || c == '_' || c == '%' || c == '+' || c == '-';
    }

    private static boolean isDomainChar(char c) {
        return isLetterOrDigit(c) || c == '-';
    }

    private static boolean isLetterOrDigit(char c) {
        return Chars.isDigit(c) || Chars.isLetter(c);
    }
}
