package dev.portcullis.controlplane.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTests {

    private Instant now = Instant.parse("2026-11-25T10:00:00Z");

    private final LoginThrottle throttle = new LoginThrottle(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    @Test
    void delayWhenFewFailuresThenNone() {
        throttle.failed("alice");
        throttle.failed("alice");

        assertThat(throttle.delayFor("alice")).isZero();
        assertThat(throttle.delayFor("bob")).isZero();
    }

    @Test
    void delayWhenRepeatedFailuresThenDoublesUpToTheCap() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("alice");
        }
        Duration first = throttle.delayFor("alice");
        throttle.failed("alice");
        Duration second = throttle.delayFor("alice");
        for (int i = 0; i < 20; i++) {
            throttle.failed("alice");
        }

        assertThat(first).isEqualTo(LoginThrottle.BASE_DELAY);
        assertThat(second).isEqualTo(LoginThrottle.BASE_DELAY.multipliedBy(2));
        assertThat(throttle.delayFor("alice")).isEqualTo(LoginThrottle.MAX_DELAY);
        assertThat(throttle.delayFor("bob")).isZero();
    }

    @Test
    void delayWhenSuccessOrWindowPassedThenCleared() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("alice");
            throttle.failed("carol");
        }
        throttle.succeeded("alice");
        now = now.plus(LoginThrottle.WINDOW).plusSeconds(1);

        assertThat(throttle.delayFor("alice")).isZero();
        assertThat(throttle.delayFor("carol")).isZero();
    }
}
