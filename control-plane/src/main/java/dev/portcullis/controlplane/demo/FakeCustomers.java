package dev.portcullis.controlplane.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** Deterministic fake customers: plausible names, emails, phone numbers and Luhn-valid test card numbers. */
final class FakeCustomers {

    private static final String[] FIRST = {
        "Ada",
        "Grace",
        "Alan",
        "Edsger",
        "Barbara",
        "Donald",
        "Frances",
        "Ken",
        "Margaret",
        "Dennis",
        "Radia",
        "Tim",
        "Shafi",
        "Leslie",
        "Niklaus",
        "Hedy",
        "John",
        "Katherine",
        "Linus",
        "Sophie"
    };

    private static final String[] LAST = {
        "Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Hamilton", "Ritchie",
        "Perlman", "Berners-Lee", "Goldwasser", "Lamport", "Wirth", "Lamarr", "Backus", "Johnson", "Torvalds", "Wilson"
    };

    private static final String[] NOTES = {
        "Prefers email contact",
        "VIP since 2019",
        "Asked about invoices",
        "Card expires soon",
        "Moved last year",
        "Opted out of newsletters",
        "Disputed a charge",
        "Pays annually"
    };

    record Customer(String name, String email, String phone, String cardNumber, String notes) {}

    private FakeCustomers() {}

    static List<Customer> generate(int count) {
        Random random = new Random(42);
        List<Customer> customers = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            String first = FIRST[random.nextInt(FIRST.length)];
            String last = LAST[random.nextInt(LAST.length)];
            String email = (first + "." + last).toLowerCase(Locale.ROOT).replace("-", "") + i + "@example.com";
            String phone = String.format("+1 555-%03d-%04d", random.nextInt(1000), random.nextInt(10000));
            customers.add(new Customer(
                    first + " " + last, email, phone, cardNumber(random), NOTES[random.nextInt(NOTES.length)]));
        }
        return customers;
    }

    /** A 16-digit number starting with 4 (the test range of a well-known scheme) whose Luhn check digit is valid. */
    static String cardNumber(Random random) {
        int[] digits = new int[16];
        digits[0] = 4;
        for (int i = 1; i < 15; i++) {
            digits[i] = random.nextInt(10);
        }
        digits[15] = luhnCheckDigit(digits);
        StringBuilder formatted = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            if (i > 0 && i % 4 == 0) {
                formatted.append(' ');
            }
            formatted.append(digits[i]);
        }
        return formatted.toString();
    }

    private static int luhnCheckDigit(int[] digits) {
        int sum = 0;
        // Walk the payload from the right; the check digit's neighbour is doubled.
        for (int i = 14, position = 0; i >= 0; i--, position++) {
            int d = digits[i];
            if (position % 2 == 0) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return (10 - sum % 10) % 10;
    }
}
