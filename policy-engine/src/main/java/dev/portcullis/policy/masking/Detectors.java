package dev.portcullis.policy.masking;

import dev.portcullis.policy.Detector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Finds sensitive values in text. Every detector validates what it finds, so that masking hides secrets without
 * starring out every number:
 *
 * <ul>
 *   <li>{@code EMAIL}: {@code local@domain.tld}, the local part dot-separated atoms of letters, digits and
 *       {@code _ % + -} (the RFC 5322 specials that also delimit URLs, queries and paths are left out), a TLD of two
 *       or more letters, and the RFC 5321 lengths.
 *   <li>{@code CREDIT_CARD}: 13-19 digits, compact or in groups of 3-6 joined by single spaces or single dashes (one
 *       kind per number), with a known network prefix and length (Visa 4; Mastercard 51-55, 2221-2720; American
 *       Express 34, 37; Discover 6011, 65; JCB 35; Diners Club 30, 36, 38) and a valid Luhn digit. The longest valid
 *       run of whole groups is taken, so a leading reference number or a trailing expiry stays out.
 *   <li>{@code PHONE}: E.164 ({@code +} and 8-15 digits, separators allowed) or national formats of 8-15 digits with
 *       separators (space, dash, dot, an area code in parentheses). A number without {@code +} needs separators, and
 *       dates, times, dotted quads, decimals, thousands grouping, versions, ISBN-like lists and the SSN shape are
 *       refused.
 *   <li>{@code IBAN}: a country from the IBAN registry, its registered length, two check digits and mod 97 = 1;
 *       upper case, compact or with a space every four characters.
 *   <li>{@code US_SSN}: {@code AAA-GG-SSSS} (dashes required) where the area is not 000, 666 or 9xx, the group not 00,
 *       the serial not 0000.
 *   <li>{@code IP_ADDRESS}: IPv4 with octets 0-255 and no leading zeros; IPv6 full or compressed, with an optional
 *       dotted-quad tail. A bare {@code ::} is not an address, and a compressed address naming one group must be
 *       {@code ::1}. A four-part version number ({@code 1.2.3.4}) cannot be told from an address and is masked.
 *   <li>{@code JWT}: three base64url segments whose first decodes to a JSON object with a string {@code alg}; the
 *       signature may be empty only for {@code alg: none}.
 *   <li>{@code API_KEY}: AWS access key ids ({@code AKIA}/{@code ASIA} and 16 upper-case letters or digits), GitHub
 *       ({@code ghp_ gho_ ghs_ ghu_ ghr_} and 36 or more characters, {@code github_pat_}), Slack ({@code xoxa- xoxb-
 *       xoxp- xoxr- xoxs-}), Stripe ({@code sk_live_ rk_live_ sk_test_ rk_test_}), Google ({@code AIza} and 35
 *       characters), Anthropic ({@code sk-ant-}), OpenAI-style ({@code sk-} and 32 or more characters mixing upper
 *       case, lower case and digits) and GitLab ({@code glpat-}).
 *   <li>{@code PRIVATE_KEY}: PEM blocks from {@code -----BEGIN … PRIVATE KEY-----} to the matching END line, any
 *       label ({@code RSA EC DSA OPENSSH ENCRYPTED}, none) and armored PGP private key blocks; a BEGIN line whose END
 *       is missing runs to the end of the key material after it.
 * </ul>
 *
 * <p>Every value must stand apart from the text around it: a card number glued to letters is part of an identifier,
 * not a card. Patterns are compiled once, each detector first rules itself out on character counts, and a scan
 * allocates per finding, not per character.
 */
public final class Detectors {

    private static final Pattern IBAN = Pattern.compile(
            "(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])");

    private static final Pattern US_SSN =
            Pattern.compile("(?<![0-9A-Za-z_])(?<![0-9]-)[0-9]{3}-[0-9]{2}-[0-9]{4}(?![0-9A-Za-z_]|-[0-9])");

    private static final Pattern JWT = Pattern.compile("(?<![A-Za-z0-9_.-])"
            + "e[wy][A-Za-z0-9_-]{8,}+\\.[A-Za-z0-9_-]++\\.[A-Za-z0-9_-]*+"
            + "(?!\\.[A-Za-z0-9_-])");

    private static final Pattern API_KEY = Pattern.compile("(?<![A-Za-z0-9_-])(?:"
            + "(?:AKIA|ASIA)[A-Z0-9]{16}"
            + "|gh[pousr]_[A-Za-z0-9]{36,255}+"
            + "|github_pat_[A-Za-z0-9_]{22,255}+"
            + "|xox[abprs]-[A-Za-z0-9-]{10,255}+"
            + "|[sr]k_(?:live|test)_[A-Za-z0-9]{10,255}+"
            + "|AIza[A-Za-z0-9_-]{35}"
            + "|sk-ant-[A-Za-z0-9_-]{20,255}+"
            + "|sk-[A-Za-z0-9_-]{32,255}+"
            + "|glpat-[A-Za-z0-9_-]{20,255}+"
            + ")(?![A-Za-z0-9_-])");

    private static final Map<Detector, Scanner> SCANNERS = scanners();

    private static final Scanner[] ALL = SCANNERS.values().toArray(new Scanner[0]);

    // Which finding wins an overlap: the longer, then the detector declared first, then the earlier.
    private static final Comparator<Finding> PRECEDENCE = Comparator.comparingInt(Finding::length)
            .reversed()
            .thenComparing(Finding::detector)
            .thenComparingInt(Finding::start);

    private Detectors() {}

    /**
     * Finds the values of the given detectors in a text.
     *
     * @param text the text to search
     * @param detectors the detectors to run; duplicates are ignored
     * @return the findings in text order, none overlapping another: of two that overlap, the longer is kept, and of
     *     two equally long, the one whose detector comes first in {@link Detector}
     */
    public static List<Finding> find(CharSequence text, Collection<Detector> detectors) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(detectors, "detectors");
        return scan(text.toString(), scanners(detectors));
    }

    /** The scanners of the given detectors, in declaration order. */
    static Scanner[] scanners(Collection<Detector> detectors) {
        if (detectors.isEmpty()) {
            return new Scanner[0];
        }
        EnumSet<Detector> set = EnumSet.copyOf(detectors);
        Scanner[] scanners = new Scanner[set.size()];
        int i = 0;
        for (Detector detector : set) {
            scanners[i++] = SCANNERS.get(detector);
        }
        return scanners;
    }

    /** Every detector's scanner, for values already known to be sensitive. */
    static Scanner[] all() {
        return ALL;
    }

    /**
     * The detector whose value {@code text} is, whole: the first, in declaration order, that finds a value spanning
     * all of it; null when none does. It is what {@link #scan} with {@link #all()} says when it returns one finding
     * spanning the text (a whole-text finding is the longest, so it wins every overlap, and ties go to the earlier
     * detector), without running the scanners after the one that finds it.
     */
    static Detector wholeMatch(String text) {
        if (text.length() < 3) {
            return null;
        }
        TextProfile profile = TextProfile.of(text);
        List<Finding> found = new ArrayList<>();
        for (Scanner scanner : ALL) {
            if (!scanner.mayOccur(profile)) {
                continue;
            }
            found.clear();
            scanner.scan(text, found);
            for (Finding finding : found) {
                if (finding.start() == 0 && finding.end() == text.length()) {
                    return finding.detector();
                }
            }
        }
        return null;
    }

    static List<Finding> scan(String text, Scanner[] scanners) {
        // the shortest value any detector accepts is "::1"
        if (scanners.length == 0 || text.length() < 3) {
            return List.of();
        }
        TextProfile profile = TextProfile.of(text);
        List<Finding> found = null;
        for (Scanner scanner : scanners) {
            if (scanner.mayOccur(profile)) {
                if (found == null) {
                    found = new ArrayList<>();
                }
                scanner.scan(text, found);
            }
        }
        if (found == null || found.isEmpty()) {
            return List.of();
        }
        return withoutOverlaps(found);
    }

    private static List<Finding> withoutOverlaps(List<Finding> found) {
        if (found.size() == 1) {
            return List.of(found.get(0));
        }
        found.sort(PRECEDENCE);
        TreeMap<Integer, Finding> kept = new TreeMap<>();
        for (Finding finding : found) {
            Map.Entry<Integer, Finding> before = kept.floorEntry(finding.start());
            Map.Entry<Integer, Finding> after = kept.ceilingEntry(finding.start());
            boolean clash = (before != null && before.getValue().overlaps(finding))
                    || (after != null && after.getValue().overlaps(finding));
            if (!clash) {
                kept.put(finding.start(), finding);
            }
        }
        return List.copyOf(kept.values());
    }

    private static Map<Detector, Scanner> scanners() {
        Map<Detector, Scanner> scanners = new EnumMap<>(Detector.class);
        scanners.put(Detector.EMAIL, new EmailScanner());
        scanners.put(Detector.CREDIT_CARD, new CardScanner());
        scanners.put(Detector.PHONE, new PhoneScanner());
        scanners.put(
                Detector.IBAN,
                new PatternScanner(
                        Detector.IBAN,
                        IBAN,
                        p -> p.digits >= 2 && p.letters >= 2 && p.length >= 15,
                        (text, i) -> Chars.isUpper(text.charAt(i))
                                && Chars.isUpper(Chars.at(text, i + 1))
                                && Chars.isDigitAt(text, i + 2)
                                && Chars.isDigitAt(text, i + 3),
                        Detectors::acceptIban));
        scanners.put(
                Detector.US_SSN,
                new PatternScanner(
                        Detector.US_SSN,
                        US_SSN,
                        p -> p.digits >= 9 && p.dashes >= 2,
                        (text, i) -> Chars.at(text, i + 3) == '-' && Chars.isDigit(text.charAt(i)),
                        PatternScanner.Check.whole(Validators::ssn)));
        scanners.put(Detector.IP_ADDRESS, new IpAddressScanner());
        scanners.put(
                Detector.JWT,
                new PatternScanner(
                        Detector.JWT,
                        JWT,
                        p -> p.dots >= 2 && p.length >= 16,
                        (text, i) ->
                                text.charAt(i) == 'e' && (Chars.at(text, i + 1) == 'y' || Chars.at(text, i + 1) == 'w'),
                        PatternScanner.Check.whole(Validators::jwt)));
        scanners.put(
                Detector.API_KEY,
                new PatternScanner(
                        Detector.API_KEY,
                        API_KEY,
                        p -> p.length >= 15 && p.letters >= 4,
                        Detectors::mayStartApiKey,
                        PatternScanner.Check.whole(Validators::apiKey)));
        scanners.put(Detector.PRIVATE_KEY, new PrivateKeyScanner());
        for (Detector detector : Detector.values()) {
            if (!scanners.containsKey(detector)) {
                throw new IllegalStateException("no scanner for detector " + detector);
            }
        }
        return scanners;
    }

    /** The first two characters of every provider prefix the pattern knows. */
    private static boolean mayStartApiKey(String text, int i) {
        char second = Chars.at(text, i + 1);
        return switch (text.charAt(i)) {
            case 'A' -> second == 'K' || second == 'S' || second == 'I';
            case 'g' -> second == 'h' || second == 'i' || second == 'l';
            case 'x' -> second == 'o';
            case 's', 'r' -> second == 'k';
            default -> false;
        };
    }

    /**
     * The pattern lets a short group follow the last four-character group, so an IBAN followed by a currency
     * ({@code BE68 5390 0754 7034 EUR}) is read with the currency; without that group it may be valid.
     */
    private static int acceptIban(String text, int start, int end) {
        if (Validators.iban(text, start, end)) {
            return end;
        }
        int lastSpace = text.lastIndexOf(' ', end - 1);
        if (lastSpace > start && end - lastSpace - 1 < 4 && Validators.iban(text, start, lastSpace)) {
            return lastSpace;
        }
        return -1;
    }
}
