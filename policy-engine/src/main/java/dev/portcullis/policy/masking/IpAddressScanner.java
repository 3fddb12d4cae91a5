package dev.portcullis.policy.masking;

import dev.portcullis.policy.Detector;
import java.util.List;

/**
 * Finds IPv4 addresses (four octets of 0-255 without leading zeros) and IPv6 addresses in full or compressed form,
 * with an optional dotted-quad tail ({@code ::ffff:192.0.2.1}).
 *
 * <p>IPv4 candidates are four dot-separated runs of digits that stand apart, which keeps version strings with more
 * parts ({@code 1.2.3.4.5}) and numbers inside larger ones ({@code 99.1.1.1} inside {@code 999.1.1.1}) out. IPv6
 * candidates are whole runs of hex digits, colons and dots that hold at least two colons and are not glued to a
 * letter: {@code std::map} and {@code 12:30:45} are such runs, and the validator refuses them. A four-part version
 * number ({@code 1.2.3.4}) is indistinguishable from an address and is found as one.
 */
final class IpAddressScanner implements Scanner {

    @Override
    public Detector detector() {
        return Detector.IP_ADDRESS;
    }

    @Override
    public boolean mayOccur(TextProfile profile) {
        return (profile.dots >= 3 && profile.digits >= 4) || profile.colons >= 2;
    }

    @Override
    public void scan(String text, List<Finding> out) {
        int before = out.size();
        if (text.indexOf('.') >= 0) {
            scanIpv4(text, out);
        }
        if (text.indexOf(':') >= 0) {
            scanIpv6(text, out, before);
        }
    }

    private static void scanIpv4(String text, List<Finding> out) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            if (!Chars.isDigit(text.charAt(i))) {
                continue;
            }
            char before = Chars.at(text, i - 1);
            if (Chars.isWord(before) || before == '.') {
                continue;
            }
            int end = dottedQuadEnd(text, i);
            if (end > i && Validators.ipv4(text, i, end)) {
                out.add(new Finding(Detector.IP_ADDRESS, i, end));
                i = end;
            }
        }
    }

    /** The end of four dot-separated runs of one to three digits that stand apart, or -1. */
    private static int dottedQuadEnd(String text, int start) {
        int j = start;
        for (int octet = 0; octet < 4; octet++) {
            if (octet > 0) {
                if (Chars.at(text, j) != '.') {
                    return -1;
                }
                j++;
            }
            int digitsStart = j;
            while (j < text.length() && Chars.isDigit(text.charAt(j)) && j - digitsStart < 4) {
                j++;
            }
            if (j == digitsStart || j - digitsStart > 3) {
                return -1;
            }
        }
        char after = Chars.at(text, j);
        // more parts or digits make it a version string or a longer number
        boolean continued = after == '.' && Chars.isDigitAt(text, j + 1);
        return Chars.isWord(after) || continued ? -1 : j;
    }

    private static void scanIpv6(String text, List<Finding> out, int ipv4Findings) {
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (!(Chars.isHex(c) || c == ':')) {
                i++;
                continue;
            }
            int start = i;
            int colons = 0;
            while (i < n && (Chars.isHex(text.charAt(i)) || text.charAt(i) == ':' || text.charAt(i) == '.')) {
                colons += text.charAt(i) == ':' ? 1 : 0;
                i++;
            }
            int end = i;
            // a sentence may end right after an address
            while (end > start && text.charAt(end - 1) == '.') {
                end--;
            }
            char before = Chars.at(text, start - 1);
            boolean glued = Chars.isWord(before) || before == '.' || Chars.isWordAt(text, i);
            if (colons >= 2 && !glued && Validators.ipv6(text, start, end)) {
                replaceInside(out, ipv4Findings, start, end);
                out.add(new Finding(Detector.IP_ADDRESS, start, end));
            }
        }
    }

    /** An IPv6 address with a dotted-quad tail contains an IPv4 finding; the address as a whole replaces it. */
    private static void replaceInside(List<Finding> out, int from, int start, int end) {
        out.subList(from, out.size()).removeIf(f -> f.start() >= start && f.end() <= end);
    }
}
