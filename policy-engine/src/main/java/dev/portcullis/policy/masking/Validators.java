package dev.portcullis.policy.masking;

import java.util.Base64;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The checks that turn a pattern match into a finding. Each one cuts false positives that a pattern alone cannot: a
 * sixteen-digit order number is not a card unless its Luhn digit agrees, an IBAN-shaped string is not an account unless
 * its mod-97 checksum holds.
 */
final class Validators {

    /** IBAN lengths by country, from the SWIFT IBAN registry; a country not listed here is not accepted. */
    private static final Map<String, Integer> IBAN_LENGTHS = Map.ofEntries(
            Map.entry("AD", 24),
            Map.entry("AE", 23),
            Map.entry("AL", 28),
            Map.entry("AT", 20),
            Map.entry("AZ", 28),
            Map.entry("BA", 20),
            Map.entry("BE", 16),
            Map.entry("BG", 22),
            Map.entry("BH", 22),
            Map.entry("BR", 29),
            Map.entry("BY", 28),
            Map.entry("CH", 21),
            Map.entry("CR", 22),
            Map.entry("CY", 28),
            Map.entry("CZ", 24),
            Map.entry("DE", 22),
            Map.entry("DK", 18),
            Map.entry("DO", 28),
            Map.entry("EE", 20),
            Map.entry("EG", 29),
            Map.entry("ES", 24),
            Map.entry("FI", 18),
            Map.entry("FO", 18),
            Map.entry("FR", 27),
            Map.entry("GB", 22),
            Map.entry("GE", 22),
            Map.entry("GI", 23),
            Map.entry("GL", 18),
            Map.entry("GR", 27),
            Map.entry("GT", 28),
            Map.entry("HR", 21),
            Map.entry("HU", 28),
            Map.entry("IE", 22),
            Map.entry("IL", 23),
            Map.entry("IQ", 23),
            Map.entry("IS", 26),
            Map.entry("IT", 27),
            Map.entry("JO", 30),
            Map.entry("KW", 30),
            Map.entry("KZ", 20),
            Map.entry("LB", 28),
            Map.entry("LC", 32),
            Map.entry("LI", 21),
            Map.entry("LT", 20),
            Map.entry("LU", 20),
            Map.entry("LV", 21),
            Map.entry("MC", 27),
            Map.entry("MD", 24),
            Map.entry("ME", 22),
            Map.entry("MK", 19),
            Map.entry("MR", 27),
            Map.entry("MT", 31),
            Map.entry("MU", 30),
            Map.entry("NL", 18),
            Map.entry("NO", 15),
            Map.entry("PK", 24),
            Map.entry("PL", 28),
            Map.entry("PS", 29),
            Map.entry("PT", 25),
            Map.entry("QA", 29),
            Map.entry("RO", 24),
            Map.entry("RS", 22),
            Map.entry("SA", 24),
            Map.entry("SC", 31),
            Map.entry("SE", 24),
            Map.entry("SI", 19),
            Map.entry("SK", 24),
            Map.entry("SM", 27),
            Map.entry("ST", 25),
            Map.entry("SV", 28),
            Map.entry("TL", 23),
            Map.entry("TN", 24),
            Map.entry("TR", 26),
            Map.entry("UA", 29),
            Map.entry("VA", 22),
            Map.entry("VG", 24),
            Map.entry("XK", 20));

    private static final int MAX_EMAIL = 254;
    private static final int MAX_EMAIL_LOCAL = 64;

    private Validators() {}

    /** RFC 5321 length limits, which the pattern leaves to this check to stay free of nested counted repeats. */
    static boolean email(String text, int start, int end) {
        if (end - start > MAX_EMAIL) {
            return false;
        }
        int at = text.indexOf('@', start);
        return at - start <= MAX_EMAIL_LOCAL;
    }

    /** The Luhn check digit over the digits of the span, separators skipped. */
    static boolean luhn(CharSequence text, int start, int end) {
        int sum = 0;
        boolean twice = false;
        for (int i = end - 1; i >= start; i--) {
            char c = text.charAt(i);
            if (!Chars.isDigit(c)) {
                continue;
            }
            int d = c - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    /**
     * Whether the leading digits name a card network that issues numbers of this length: Visa 4 (13, 16, 19),
     * Mastercard 51-55 and 2221-2720 (16), American Express 34 and 37 (15), Discover 6011 and 65 (16-19), JCB 35
     * (16-19), Diners Club 30, 36 and 38 (14-19).
     *
     * @param digits6 the first six digits as a number
     * @param length the number of digits
     */
    static boolean cardNetwork(int digits6, int length) {
        int d1 = digits6 / 100_000;
        int d2 = digits6 / 10_000;
        int d4 = digits6 / 100;
        if (d1 == 4) {
            return length == 13 || length == 16 || length == 19;
        }
        if ((d2 >= 51 && d2 <= 55) || (d4 >= 2221 && d4 <= 2720)) {
            return length == 16;
        }
        if (d2 == 34 || d2 == 37) {
            return length == 15;
        }
        if (d4 == 6011 || d2 == 65) {
            return length >= 16 && length <= 19;
        }
        if (d2 == 35) {
            return length >= 16 && length <= 19;
        }
        if (d2 == 30 || d2 == 36 || d2 == 38) {
            return length >= 14 && length <= 19;
        }
        return false;
    }

    /** A card number: network prefix and length, then Luhn; the span holds digits and single separators. */
    static boolean card(CharSequence text, int start, int end) {
        int length = 0;
        int prefix = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (Chars.isDigit(c)) {
                if (length < 6) {
                    prefix = prefix * 10 + (c - '0');
                }
                length++;
            }
        }
        if (length < 13 || length > 19) {
            return false;
        }
        return cardNetwork(prefix, length) && luhn(text, start, end);
    }

    /** Country length and the ISO 13616 mod-97 checksum; spaces in the span are skipped. */
    static boolean iban(CharSequence text, int start, int end) {
        Integer expected = IBAN_LENGTHS.get(text.subSequence(start, start + 2).toString());
        if (expected == null) {
            return false;
        }
        char[] compact = new char[end - start];
        int length = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c != ' ') {
                compact[length++] = c;
            }
        }
        if (length != expected) {
            return false;
        }
        // The first four characters move to the end; letters count as 10..35. Folding the remainder as we go keeps
        // the number small instead of building a 30-digit BigInteger.
        int remainder = 0;
        for (int k = 0; k < length; k++) {
            char c = compact[(k + 4) % length];
            if (Chars.isDigit(c)) {
                remainder = (remainder * 10 + (c - '0')) % 97;
            } else if (Chars.isUpper(c)) {
                remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
            } else {
                return false;
            }
        }
        return remainder == 1;
    }

    /** The SSA rules for AAA-GG-SSSS: no area 000, 666 or 900-999, no group 00, no serial 0000. */
    static boolean ssn(CharSequence text, int start, int end) {
        int area = number(text, start, start + 3);
        int group = number(text, start + 4, start + 6);
        int serial = number(text, start + 7, start + 11);
        return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
    }

    /** Dotted-quad IPv4: four octets of 0-255 without leading zeros, which some parsers read as octal. */
    static boolean ipv4(CharSequence text, int start, int end) {
        int octets = 0;
        int i = start;
        while (true) {
            int octetStart = i;
            while (i < end && Chars.isDigit(text.charAt(i))) {
                i++;
            }
            int length = i - octetStart;
            if (length == 0 || length > 3 || (length > 1 && text.charAt(octetStart) == '0')) {
                return false;
            }
            if (number(text, octetStart, i) > 255) {
                return false;
            }
            octets++;
            if (i == end) {
                return octets == 4;
            }
            if (text.charAt(i) != '.' || octets == 4) {
                return false;
            }
            i++;
        }
    }

    /**
     * IPv6 in full or compressed form, with an optional dotted-quad tail. Two refinements keep code and clock times
     * out: a bare {@code ::} is not an address, and an address that names a single group must be the loopback
     * {@code ::1} (so {@code [::2]} in a Python slice stays).
     */
    static boolean ipv6(CharSequence text, int start, int end) {
        int groups = 0;
        boolean compressed = false;
        int i = start;
        if (end - start >= 2 && text.charAt(i) == ':' && text.charAt(i + 1) == ':') {
            compressed = true;
            i += 2;
        } else if (i < end && text.charAt(i) == ':') {
            return false;
        }
        while (i < end) {
            int groupStart = i;
            while (i < end && Chars.isHex(text.charAt(i))) {
                i++;
            }
            if (i < end && text.charAt(i) == '.') {
                // a dotted-quad tail takes the place of the last two groups
                if (!ipv4(text, groupStart, end)) {
                    return false;
                }
                groups += 2;
                i = end;
                break;
            }
            int length = i - groupStart;
            if (length == 0 || length > 4) {
                return false;
            }
            groups++;
            if (i == end) {
                break;
            }
            if (text.charAt(i) != ':') {
                return false;
            }
            i++;
            if (i < end && text.charAt(i) == ':') {
                if (compressed) {
                    return false;
                }
                compressed = true;
                i++;
            } else if (i == end) {
                // a single trailing colon
                return false;
            }
        }
        if (compressed) {
            if (groups > 7) {
                return false;
            }
            if (groups == 0) {
                return false;
            }
            return groups > 1 || (end - start == 3 && text.charAt(start + 2) == '1');
        }
        return groups == 8;
    }

    /**
     * A compact JWS: the header decodes to a JSON object with a string {@code alg}, the payload decodes, and the
     * signature is there unless the algorithm is {@code none}.
     */
    static boolean jwt(CharSequence text, int start, int end) {
        int firstDot = indexOf(text, '.', start, end);
        int secondDot = indexOf(text, '.', firstDot + 1, end);
        if (firstDot < 0 || secondDot < 0 || secondDot == firstDot + 1) {
            return false;
        }
        byte[] header = decodeBase64Url(text, start, firstDot);
        if (header == null || decodeBase64Url(text, firstDot + 1, secondDot) == null) {
            return false;
        }
        String alg = headerAlg(header);
        if (alg == null) {
            return false;
        }
        if (secondDot + 1 == end) {
            return alg.equalsIgnoreCase("none");
        }
        return decodeBase64Url(text, secondDot + 1, end) != null;
    }

    /**
     * OpenAI-style keys share their {@code sk-} prefix with ordinary hyphenated words, so their body must look random:
     * upper case, lower case and digits all present. The other providers' prefixes are distinctive enough alone.
     */
    static boolean apiKey(CharSequence text, int start, int end) {
        if (!startsWith(text, start, "sk-") || startsWith(text, start, "sk-ant-")) {
            return true;
        }
        boolean upper = false;
        boolean lower = false;
        boolean digit = false;
        for (int i = start + 3; i < end; i++) {
            char c = text.charAt(i);
            upper |= Chars.isUpper(c);
            lower |= Chars.isLower(c);
            digit |= Chars.isDigit(c);
        }
        return upper && lower && digit;
    }

    static boolean startsWith(CharSequence text, int start, String prefix) {
        if (start + prefix.length() > text.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (text.charAt(start + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String headerAlg(byte[] header) {
        try (JsonParser parser = JsonBodies.FACTORY.createParser(header)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String alg = null;
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("alg") && value == JsonToken.VALUE_STRING) {
                    alg = parser.getString();
                } else {
                    parser.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return null;
            }
            return alg;
        } catch (JacksonException e) {
            return null;
        }
    }

    private static byte[] decodeBase64Url(CharSequence text, int start, int end) {
        // length 1 mod 4 cannot come out of any byte sequence; the decoder would reject it too, but more slowly
        if (end <= start || (end - start) % 4 == 1) {
            return null;
        }
        try {
            return Base64.getUrlDecoder().decode(text.subSequence(start, end).toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static int indexOf(CharSequence text, char c, int from, int end) {
        for (int i = from; i < end; i++) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    private static int number(CharSequence text, int start, int end) {
        int value = 0;
        for (int i = start; i < end; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }
}
