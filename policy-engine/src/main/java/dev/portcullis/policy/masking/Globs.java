package dev.portcullis.policy.masking;

/** Case-insensitive wildcard matching of field names: {@code *} any run of characters, {@code ?} one character. */
final class Globs {

    private Globs() {}

    /**
     * Matches in time bounded by the product of the lengths: a star backtracks to the most recent star only, which is
     * enough because a later star can absorb anything an earlier one gives up.
     */
    static boolean matches(String glob, String name) {
        int g = 0;
        int t = 0;
        int star = -1;
        int starName = 0;
        while (t < name.length()) {
            if (g < glob.length() && glob.charAt(g) == '*') {
                star = g++;
                starName = t;
            } else if (g < glob.length() && (glob.charAt(g) == '?' || same(glob.charAt(g), name.charAt(t)))) {
                g++;
                t++;
            } else if (star >= 0) {
                g = star + 1;
                t = ++starName;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }

    private static boolean same(char a, char b) {
        return a == b
                || Character.toUpperCase(a) == Character.toUpperCase(b)
                || Character.toLowerCase(a) == Character.toLowerCase(b);
    }
}
