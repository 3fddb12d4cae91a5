package dev.portcullis.policy.masking;

import dev.portcullis.policy.Detector;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;

/**
 * Partial masks that keep a value's shape, so that whoever reads a masked response can still tell what kind of value
 * was there and tell two apart by what is left, without learning the value:
 *
 * <table>
 *   <caption>Masks by detector</caption>
 *   <tr><th>detector</th><th>value</th><th>mask</th></tr>
 *   <tr><td>EMAIL</td><td>{@code jane.doe@example.com}</td><td>{@code j***@example.com}</td></tr>
 *   <tr><td>CREDIT_CARD</td><td>{@code 4242 4242 4242 4242}</td><td>{@code **** **** **** 4242}</td></tr>
 *   <tr><td>PHONE</td><td>{@code +1 555-010-1234}</td><td>{@code +* ***-***-**34}</td></tr>
 *   <tr><td>IBAN</td><td>{@code DE89 3704 0044 0532 0130 00}</td><td>{@code DE** **** **** **** **30 00}</td></tr>
 *   <tr><td>IBAN</td><td>{@code DE89370400440532013000}</td><td>{@code DE****************3000}</td></tr>
 *   <tr><td>US_SSN</td><td>{@code 123-45-6789}</td><td>{@code ***-**-6789}</td></tr>
 *   <tr><td>IP_ADDRESS</td><td>{@code 10.1.2.3}</td><td>{@code 10.*.*.*}</td></tr>
 *   <tr><td>IP_ADDRESS</td><td>{@code 2001:db8::1}</td><td>{@code 2001:*::*}</td></tr>
 *   <tr><td>JWT</td><td>{@code eyJhbGciOi….eyJzdWIi….SflKxw…}</td><td>{@code eyJ***.***.***}</td></tr>
 *   <tr><td>API_KEY</td><td>{@code AKIAIOSFODNN7EXAMPLE}</td><td>{@code AKIA***}</td></tr>
 *   <tr><td>PRIVATE_KEY</td><td>a PEM block</td><td>its BEGIN line, {@code ***}, its END line</td></tr>
 * </table>
 *
 * <p>Every mask assumes a value its detector found. A value without the expected shape gets {@link #maskWhole}: a mask
 * never reveals more than it would for a real finding.
 */
public final class Masks {

    /** What every mask shows in place of hidden characters, and what a whole value becomes. */
    public static final String HIDDEN = "***";

    private static final char STAR = '*';

    /** Provider prefixes, longest first so that {@code sk-ant-} wins over {@code sk-}. */
    private static final List<String> KEY_PREFIXES = List.of(
            "github_pat_",
            "sk-ant-",
            "sk_live_",
            "rk_live_",
            "sk_test_",
            "rk_test_",
            "glpat-",
            "xoxa-",
            "xoxb-",
            "xoxp-",
            "xoxr-",
            "xoxs-",
            "ghp_",
            "gho_",
            "ghs_",
            "ghu_",
            "ghr_",
            "AKIA",
            "ASIA",
            "AIza",
            "sk-");

    private static final int MIN_CARD_DIGITS = 12;
    private static final int CARD_KEPT = 4;
    private static final int MIN_PHONE_DIGITS = 6;
    private static final int PHONE_KEPT = 2;
    private static final int MIN_IBAN = 12;
    private static final int IBAN_KEPT = 4;

    private Masks() {}

    /**
     * Masks a value found by a detector, keeping its shape.
     *
     * @param detector the detector that found the value
     * @param value the value
     * @return the mask; {@link #maskWhole} for a value that does not have the detector's shape
     */
    public static String mask(Detector detector, String value) {
        Objects.requireNonNull(detector, "detector");
        Objects.requireNonNull(value, "value");
        return switch (detector) {
            case EMAIL -> email(value);
            case CREDIT_CARD -> card(value);
            case PHONE -> phone(value);
            case IBAN -> iban(value);
            case US_SSN -> ssn(value);
            case IP_ADDRESS -> ipAddress(value);
            case JWT -> jwt(value);
            case API_KEY -> apiKey(value);
            case PRIVATE_KEY -> privateKey(value);
        };
    }

    /**
     * Masks a value entirely: for a value under a masked field that no detector recognizes, where no part is known to
     * be safe to show.
     *
     * @param value the value
     * @return {@value #HIDDEN}, whatever the value
     */
    public static String maskWhole(String value) {
        return HIDDEN;
    }

    private static String email(String value) {
        int at = value.lastIndexOf('@');
        if (at <= 0 || at == value.length() - 1) {
            return HIDDEN;
        }
        int firstLength = Character.charCount(value.codePointAt(0));
        if (firstLength > at) {
            return HIDDEN;
        }
        return value.substring(0, firstLength) + HIDDEN + value.substring(at);
    }

    private static String card(String value) {
        if (!only(value, " -") || Chars.digitCount(value, 0, value.length()) < MIN_CARD_DIGITS) {
            return HIDDEN;
        }
        return starDigitsKeepingLast(value, CARD_KEPT);
    }

    private static String phone(String value) {
        if (!only(value, " -.()+") || Chars.digitCount(value, 0, value.length()) < MIN_PHONE_DIGITS) {
            return HIDDEN;
        }
        return starDigitsKeepingLast(value, PHONE_KEPT);
    }

    /** Country code and the last four characters stay; check digits and the rest of the account go. */
    private static String iban(String value) {
        int length = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Chars.isUpper(c) || Chars.isDigit(c)) {
                length++;
            } else if (c != ' ') {
                return HIDDEN;
            }
        }
        if (length < MIN_IBAN || !Chars.isUpper(value.charAt(0)) || !Chars.isUpper(value.charAt(1))) {
            return HIDDEN;
        }
        StringBuilder masked = new StringBuilder(value.length());
        int seen = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ') {
                masked.append(c);
                continue;
            }
            boolean kept = seen < 2 || seen >= length - IBAN_KEPT;
            masked.append(kept ? c : STAR);
            seen++;
        }
        return masked.toString();
    }

    private static String ssn(String value) {
        boolean shaped = value.length() == 11
                && value.charAt(3) == '-'
                && value.charAt(6) == '-'
                && Chars.digitCount(value, 0, value.length()) == 9;
        return shaped ? "***-**-" + value.substring(7) : HIDDEN;
    }

    /** IPv4 keeps its first octet, IPv6 its first group; every other group becomes one star whatever its length. */
    private static String ipAddress(String value) {
        boolean v6 = value.indexOf(':') >= 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowed = v6 ? Chars.isHex(c) || c == ':' || c == '.' : Chars.isDigit(c) || c == '.';
            if (!allowed) {
                return HIDDEN;
            }
        }
        char separator = v6 ? ':' : '.';
        int firstEnd = value.indexOf(separator);
        if (firstEnd < 0) {
            return HIDDEN;
        }
        StringBuilder masked = new StringBuilder(value.length()).append(value, 0, firstEnd);
        boolean inGroup = false;
        for (int i = firstEnd; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ':' || c == '.') {
                masked.append(c);
                inGroup = false;
            } else if (!inGroup) {
                masked.append(STAR);
                inGroup = true;
            }
        }
        return masked.toString();
    }

    /** {@code eyJ} only ever encodes <code>{"</code>, so it is the one part of a token that says nothing. */
    private static String jwt(String value) {
        if (value.chars().filter(c -> c == '.').count() != 2) {
            return HIDDEN;
        }
        return value.startsWith("eyJ") ? "eyJ***.***.***" : "***.***.***";
    }

    private static String apiKey(String value) {
        for (String prefix : KEY_PREFIXES) {
            if (value.startsWith(prefix) && value.length() > prefix.length()) {
                return prefix + HIDDEN;
            }
        }
        return HIDDEN;
    }

    /** The BEGIN and END lines say what kind of key it was; the line breaks follow the value's own style. */
    private static String privateKey(String value) {
        Matcher begin = PrivateKeyScanner.BEGIN.matcher(value);
        if (!begin.lookingAt()) {
            return HIDDEN;
        }
        String lineBreak = lineBreakAfter(value, begin.end());
        String end = PrivateKeyScanner.endMarker(begin);
        String masked = begin.group() + lineBreak + HIDDEN;
        return value.endsWith(end) ? masked + lineBreak + end : masked;
    }

    private static String lineBreakAfter(String value, int index) {
        for (String lineBreak : List.of("\r\n", "\n", "\\r\\n", "\\n", " ")) {
            if (value.startsWith(lineBreak, index)) {
                return lineBreak;
            }
        }
        return "\n";
    }

    private static boolean only(String value, String separators) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!Chars.isDigit(c) && separators.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String starDigitsKeepingLast(String value, int kept) {
        int digits = Chars.digitCount(value, 0, value.length());
        StringBuilder masked = new StringBuilder(value.length());
        int seen = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Chars.isDigit(c)) {
                masked.append(seen >= digits - kept ? c : STAR);
                seen++;
            } else {
                masked.append(c);
            }
        }
        return masked.toString();
    }
}
