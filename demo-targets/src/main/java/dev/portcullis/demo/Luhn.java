package dev.portcullis.demo;

/** The Luhn checksum that card numbers carry, so the fake ones look real to a masking rule. */
final class Luhn {

    private Luhn() {}

    /** The digit that makes {@code payload} followed by it Luhn-valid. */
    static int checkDigit(String payload) {
        return (10 - sum(payload, true) % 10) % 10;
    }

    /** Whether a string of digits (spaces ignored) passes the Luhn check. */
    static boolean isValid(String number) {
        String digits = number.replace(" ", "");
        return !digits.isEmpty() && digits.chars().allMatch(Character::isDigit) && sum(digits, false) % 10 == 0;
    }

    private static int sum(String digits, boolean doubleRightmost) {
        int sum = 0;
        boolean doubled = doubleRightmost;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int digit = digits.charAt(i) - '0';
            if (doubled) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
            doubled = !doubled;
        }
        return sum;
    }
}
