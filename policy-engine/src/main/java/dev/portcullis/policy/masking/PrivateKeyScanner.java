package dev.portcullis.policy.masking;

import dev.portcullis.policy.Detector;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds PEM private keys: from {@code -----BEGIN … PRIVATE KEY-----} to the matching {@code -----END … PRIVATE
 * KEY-----}, whatever the label ({@code RSA}, {@code EC}, {@code DSA}, {@code OPENSSH}, {@code ENCRYPTED}, none),
 * and armored PGP keys ({@code -----BEGIN PGP PRIVATE KEY BLOCK-----}).
 *
 * <p>A BEGIN line without its END (a body cut short, a log line) still starts a secret, so the finding then runs over
 * the key material that follows it: base64 characters and line breaks, written or escaped as {@code \n}.
 */
final class PrivateKeyScanner implements Scanner {

    /** Group 1 is the label with its trailing space, group 2 the {@code " BLOCK"} of an armored PGP key. */
    static final Pattern BEGIN = Pattern.compile("-----BEGIN ((?:[A-Z0-9]{1,20} ){0,3})PRIVATE KEY( BLOCK)?-----");

    private static final int MARKER_DASHES = 10;

    @Override
    public Detector detector() {
        return Detector.PRIVATE_KEY;
    }

    @Override
    public boolean mayOccur(TextProfile profile) {
        return profile.dashes >= MARKER_DASHES;
    }

    @Override
    public void scan(String text, List<Finding> out) {
        if (!text.contains("-----BEGIN ")) {
            return;
        }
        Matcher begin = BEGIN.matcher(text);
        int from = 0;
        while (from < text.length() && begin.find(from)) {
            String endMarker = endMarker(begin);
            int endAt = text.indexOf(endMarker, begin.end());
            int end = endAt >= 0 ? endAt + endMarker.length() : keyMaterialEnd(text, begin.end());
            out.add(new Finding(Detector.PRIVATE_KEY, begin.start(), end));
            from = end;
        }
    }

    static String endMarker(Matcher begin) {
        String block = begin.group(2) == null ? "" : begin.group(2);
        return "-----END " + begin.group(1) + "PRIVATE KEY" + block + "-----";
    }

    private static int keyMaterialEnd(String text, int from) {
        int i = from;
        while (i < text.length()) {
            char c = text.charAt(i);
            boolean material = Chars.isDigit(c)
                    || Chars.isLetter(c)
                    || c == '+'
                    || c == '/'
                    || c == '='
                    || c == '\n'
                    || c == '\r'
                    || c == '\\';
            if (!material) {
                break;
            }
            i++;
        }
        return i;
    }
}
