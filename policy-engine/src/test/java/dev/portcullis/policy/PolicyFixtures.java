package dev.portcullis.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads policy documents from the test resources. */
final class PolicyFixtures {

    private PolicyFixtures() {}

    static String resource(String path) {
        try (InputStream in = PolicyFixtures.class.getResourceAsStream("/policies/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource /policies/" + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Policy demoGuardrails() {
        return PolicyParser.parse(resource("demo-guardrails.yaml"));
    }
}
