package dev.portcullis.controlplane.reviews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.controlplane.system.ApiException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ProxyReviewControllerTests {

    @ParameterizedTest
    @CsvSource({"PT30S, 30", "30, 30", "0, 0", "PT0.5S, 0.5", "PT60S, 60", "PT5M, 60", "3600, 60", "' 7 ', 7"})
    void parseWaitWhenDurationOrSecondsThenCappedAtSixtySeconds(String wait, double seconds) {
        assertThat(ProxyReviewController.parseWait(wait)).isEqualTo(Duration.ofMillis((long) (seconds * 1000)));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void parseWaitWhenAbsentThenNoWait(String wait) {
        assertThat(ProxyReviewController.parseWait(wait)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "-5", "PT-1S", "30s", "99999999999999999999"})
    void parseWaitWhenMalformedOrNegativeThenInvalid(String wait) {
        assertThatThrownBy(() -> ProxyReviewController.parseWait(wait)).isInstanceOf(ApiException.Invalid.class);
    }
}
