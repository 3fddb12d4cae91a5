package dev.portcullis.policy.masking;

/** ASCII character classes: detectors look for ASCII shapes; {@link Character#isDigit} would admit other scripts. */
final class Chars {

    private Chars() {}

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    static boolean isLower(char c) {
        return c >= 'a' && c <= 'z';
    }

    static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** Letters, digits and underscore: what a value glued to a candidate would make it part of a larger word. */
    static boolean isWord(char c) {
        return isDigit(c) || isLetter(c) || c == '_';
    }

    static boolean isWordAt(CharSequence text, int index) {
        return index >= 0 && index < text.length() && isWord(text.charAt(index));
    }

    static boolean isDigitAt(CharSequence text, int index) {
        return index >= 0 && index < text.length() && isDigit(text.charAt(index));
    }

    static char at(CharSequence text, int index) {
        return index >= 0 && index < text.length() ? text.charAt(index) : '\0';
    }

    static int digitCount(CharSequence text, int start, int end) {
        int count = 0;
        for (int i = start; i < end; i++) {
            if (isDigit(text.charAt(i))) {
                count++;
            }
        }
        return count;
    }
}
