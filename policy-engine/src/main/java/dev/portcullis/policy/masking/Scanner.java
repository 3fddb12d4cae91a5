package dev.portcullis.policy.masking;

import dev.portcullis.policy.Detector;
import java.util.List;

/**
 * How one detector finds its values. Closed: each detector has exactly one scanner, and the shapes that a regular
 * expression describes badly (card and phone numbers with separators, IPv6 runs, PEM blocks) have their own.
 */
sealed interface Scanner permits PatternScanner, CardScanner, PhoneScanner, IpAddressScanner, PrivateKeyScanner {

    /** The detector this scanner implements. */
    Detector detector();

    /** A cheap test on character counts: {@code false} means the text cannot hold a value, so no scan is needed. */
    boolean mayOccur(TextProfile profile);

    /** Adds every value found to {@code out}, without overlaps among themselves; the caller sorts. */
    void scan(String text, List<Finding> out);
}
