package dev.portcullis.policy.masking;

/**
 * Character counts of a text, taken in one pass so that each detector can rule itself out before running a pattern:
 * most values in a response (ids, names, flags) cannot hold any sensitive value, and this keeps them cheap.
 */
final class TextProfile {

    final int length;
    final int digits;
    final int letters;
    final int ats;
    final int dots;
    final int colons;
    final int dashes;

    private TextProfile(int length, int digits, int letters, int ats, int dots, int colons, int dashes) {
        this.length = length;
        this.digits = digits;
        this.letters = letters;
        this.ats = ats;
        this.dots = dots;
        this.colons = colons;
        this.dashes = dashes;
    }

    static TextProfile of(CharSequence text) {
        int length = text.length();
        int digits = 0;
        int letters = 0;
        int ats = 0;
        int dots = 0;
        int colons = 0;
        int dashes = 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
                letters++;
            } else if (c == '@') {
                ats++;
            } else if (c == '.') {
                dots++;
            } else if (c == ':') {
                colons++;
            } else if (c == '-') {
                dashes++;
            }
        }
        return new TextProfile(length, digits, letters, ats, dots, colons, dashes);
    }
}
