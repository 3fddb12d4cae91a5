package dev.portcullis.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Generates the demo's fake customers. A fixed seed makes every run serve the same rows, so a demo script or a test
 * can name a customer by id and know what it will see.
 */
final class FakeCustomers {

    static final int COUNT = 200;

    static final long SEED = 20_240_917L;

    private static final String[] FIRST_NAMES = {
        "Ada", "Alan", "Barbara", "Brian", "Carla", "Chen", "Dana", "Diego", "Edsger", "Elena", "Fatima", "Frank",
        "Grace", "Hannah", "Ivan", "Jamal", "Joan", "Ken", "Leslie", "Linus", "Margaret", "Mei", "Niklaus", "Olga",
        "Priya", "Radia", "Sofia", "Tim", "Yusuf", "Zoe"
    };

    private static final String[] LAST_NAMES = {
        "Adams",
        "Baker",
        "Castro",
        "Dijkstra",
        "Evans",
        "Fischer",
        "Garcia",
        "Hopper",
        "Ito",
        "Johnson",
        "Kowalski",
        "Lamport",
        "Liskov",
        "Moreau",
        "Nakamura",
        "Okafor",
        "Perlman",
        "Quinn",
        "Ritchie",
        "Silva",
        "Thompson",
        "Ueda",
        "Varga",
        "Wirth",
        "Xu",
        "Yilmaz",
        "Zhang"
    };

    private FakeCustomers() {}

    /** The demo's customers: ids 1 to {@link #COUNT}, the same on every run. */
    static List<Customer> generate() {
        return generate(COUNT, SEED);
    }

    static List<Customer> generate(int count, long seed) {
        Random random = new Random(seed);
        List<Customer> customers = new ArrayList<>(count);
        for (long id = 1; id <= count; id++) {
            String first = pick(random, FIRST_NAMES);
            String last = pick(random, LAST_NAMES);
            customers.add(new Customer(
                    id,
                    first + " " + last,
                    email(first, last, id),
                    phone(random),
                    cardNumber(random),
                    notes(random, first, last)));
        }
        return List.copyOf(customers);
    }

    private static String email(String first, String last, long id) {
        return (first + "." + last).toLowerCase(Locale.ROOT) + id + "@example.com";
    }

    private static String phone(Random random) {
        return String.format(Locale.ROOT, "+1 555-%03d-%04d", random.nextInt(1000), random.nextInt(10_000));
    }

    /** A Visa-like 16-digit number, {@code 4xxx xxxx xxxx xxxx}, whose last digit makes it Luhn-valid. */
    static String cardNumber(Random random) {
        StringBuilder digits = new StringBuilder("4");
        for (int i = 0; i < 14; i++) {
            digits.append(random.nextInt(10));
        }
        digits.append(Luhn.checkDigit(digits.toString()));
        return digits.substring(0, 4) + " " + digits.substring(4, 8) + " " + digits.substring(8, 12) + " "
                + digits.substring(12, 16);
    }

    /**
     * Free text, some of it holding an email address or a phone number, so that masking has to find personal data
     * in prose and not only in well-known fields.
     */
    private static String notes(Random random, String first, String last) {
        String otherFirst = pick(random, FIRST_NAMES);
        String otherEmail = (otherFirst + "." + last).toLowerCase(Locale.ROOT) + "@mail.example.org";
        String otherPhone = phone(random);
        return switch (random.nextInt(8)) {
            case 0 -> "Prefers contact by email.";
            case 1 -> "Long-standing customer; no open issues.";
            case 2 -> "Asked to be reached at " + otherEmail + " instead of the address on file.";
            case 3 -> "Call back on " + otherPhone + " after 5pm.";
            case 4 -> "Disputed a charge in March; resolved in the customer's favour.";
            case 5 -> "Billing is handled by " + otherFirst + " " + last + " (" + otherEmail + ", " + otherPhone + ").";
            case 6 -> first + " moved house; new landline " + otherPhone + ".";
            default -> "VIP: route tickets to the priority queue.";
        };
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
