package dev.portcullis.controlplane.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FakeCustomersTests {

    @Test
    void generateWhenCalledThenDistinctEmailsAndLuhnValidCards() {
        List<FakeCustomers.Customer> customers = FakeCustomers.generate(300);

        assertThat(customers).hasSize(300);
        assertThat(customers.stream().map(FakeCustomers.Customer::email).distinct())
                .hasSize(300);
        assertThat(customers).allSatisfy(c -> {
            assertThat(c.email()).matches("[a-z.]+\\d+@example\\.com");
            assertThat(luhnValid(c.cardNumber().replace(" ", "")))
                    .as(c.cardNumber())
                    .isTrue();
        });
    }

    @Test
    void generateWhenCalledTwiceThenSameData() {
        assertThat(FakeCustomers.generate(20)).isEqualTo(FakeCustomers.generate(20));
    }

    private static boolean luhnValid(String digits) {
        int sum = 0;
        for (int i = digits.length() - 1, position = 0; i >= 0; i--, position++) {
            int d = digits.charAt(i) - '0';
            if (position % 2 == 1) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
        }
        return sum % 10 == 0;
    }
}
