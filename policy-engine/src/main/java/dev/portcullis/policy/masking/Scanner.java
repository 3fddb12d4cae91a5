package dev.portcullis.policy.masking;

import dev.portcullis.policy.Detector;
import java.util.List;

/**
 * How one detector finds its values. Closed: each detector has exactly one scanner, and the shapes that a regular
 * expression describes badly (card and phone numbers with separators, IPv6 runs, PEM blocks) have their own, as do
 * e-mail addresses, the most common value masked, which a single left-to-right read finds for a fraction of what the
 * regex engine costs.
 */
sealed interface Scanner
        permits PatternScanner, EmailScanner, CardScanner, PhoneScanner, IpAddressScanner, PrivateKeyScanner {

    /** The detector this scanner implements. */
    Detector detector();

    /** A cheap test on character counts: {@code false} means the text cannot hold a value, so no scan is needed. */
    boolean mayOccur(TextProfile profile);

    /** Adds every value found to {@code out}, without overlaps among themselves; the caller sorts. */
    void scan(String text, List<Finding> out);
}
