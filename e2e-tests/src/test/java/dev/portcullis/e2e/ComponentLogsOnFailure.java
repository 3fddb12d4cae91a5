package dev.portcullis.e2e;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * When a test or its set-up fails, prints the end of every running component's log next to the failure (the e2e
 * module sends test output to the console), so that a CI log alone says what the processes were doing. The failure
 * itself is passed on unchanged.
 */
final class ComponentLogsOnFailure implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

    private static final int LINES = 40;

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        print(context, failure);
        throw failure;
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        print(context, failure);
        throw failure;
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        print(context, failure);
        throw failure;
    }

    private static void print(ExtensionContext context, Throwable failure) {
        StringBuilder out = new StringBuilder()
                .append("===== ")
                .append(context.getDisplayName())
                .append(" failed: ")
                .append(failure.toString().lines().findFirst().orElse(""))
                .append("\nThe components' logs end with:\n");
        for (LauncherFixture fixture : LauncherFixture.ACTIVE) {
            out.append(fixture.logTails(LINES));
        }
        System.out.println(out.append("=====").toString());
    }
}
