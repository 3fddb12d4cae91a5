package dev.portcullis.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FakeCustomersTests {

    @Test
    void generateThenSameCustomersEveryTime() {
        assertThat(FakeCustomers.generate()).isEqualTo(FakeCustomers.generate());
    }

    @Test
    void generateThenIdsOneToTwoHundredWithUniqueEmails() {
        List<Customer> customers = FakeCustomers.generate();

        assertThat(customers)
                .extracting(Customer::id)
                .containsExactlyElementsOf(
                        IntStream.rangeClosed(1, 200).mapToObj(Long::valueOf).toList());
        assertThat(customers).extracting(Customer::email).doesNotHaveDuplicates();
        assertThat(customers).extracting(Customer::cardNumber).doesNotHaveDuplicates();
    }

    @Test
    void cardNumberThenSixteenDigitsStartingWithFourAndLuhnValid() {
        Random random = new Random(1);
        for (int i = 0; i < 1000; i++) {
            String card = FakeCustomers.cardNumber(random);

            assertThat(card).matches("4\\d{3} \\d{4} \\d{4} \\d{4}");
            assertThat(Luhn.isValid(card)).as(card).isTrue();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "4539 1488 0343 6467, true",
        "4111 1111 1111 1111, true",
        "79927398713, true",
        "4111 1111 1111 1112, false",
        "79927398710, false",
        "'', false",
        "4111-1111, false"
    })
    void isValidThenKnownAnswers(String number, boolean valid) {
        assertThat(Luhn.isValid(number)).isEqualTo(valid);
    }

    @Test
    void checkDigitThenKnownAnswer() {
        assertThat(Luhn.checkDigit("7992739871")).isEqualTo(3);
    }
}
