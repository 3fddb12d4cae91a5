package dev.portcullis.proxy.recording;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition with a generous limit: a guard against hangs, not a timing assertion. */
final class Await {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    private Await() {}

    static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not within " + LIMIT + ": " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted waiting for: " + what, e);
            }
        }
    }
}
