package dev.portcullis.proxy.snapshot;

import dev.portcullis.policy.MaskingRule;
import dev.portcullis.policy.Policy;
import dev.portcullis.policy.PolicyParser;
import dev.portcullis.policy.connection.ConnectionType;
import dev.portcullis.policy.eval.PolicyEngine;
import dev.portcullis.policy.masking.Masker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A policy snapshot made ready to enforce: connections by name, the policy engine, the revoked subjects, and maskers
 * built once per distinct set of masking rules. Immutable but for the masker cache; swapped whole on a new version.
 */
public final class CompiledSnapshot {

    private final long version;

    private final Map<String, ConnectionInfo> connections;

    private final PolicyEngine engine;

    private final Set<String> revokedSubjects;

    private final Map<List<MaskingRule>, Masker> maskers = new ConcurrentHashMap<>();

    private CompiledSnapshot(
            long version, Map<String, ConnectionInfo> connections, PolicyEngine engine, Set<String> revoked) {
        this.version = version;
        this.connections = connections;
        this.engine = engine;
        this.revokedSubjects = revoked;
    }

    /**
     * Parses the control plane's snapshot document. Every policy goes through the same parser and validator as on the
     * control plane: a document that does not parse fails the whole snapshot, and the proxy keeps the one it had.
     */
    public static CompiledSnapshot parse(String document, JsonMapper json) {
        JsonNode root = json.readTree(document);
        long version = root.required("version").asLong();
        Map<String, ConnectionInfo> connections = new HashMap<>();
        for (JsonNode c : root.path("connections")) {
            connections.put(
                    c.required("name").asString(),
                    new ConnectionInfo(
                            c.required("name").asString(),
                            ConnectionType.valueOf(c.required("type").asString()),
                            c.required("target").asString(),
                            strings(c.path("allowedGroups")),
                            strings(c.path("tags"))));
        }
        List<Policy> policies = new ArrayList<>();
        for (JsonNode p : root.path("policies")) {
            policies.add(PolicyParser.parse(json.writeValueAsString(p)));
        }
        return new CompiledSnapshot(
                version, Map.copyOf(connections), PolicyEngine.of(policies), strings(root.path("revokedSubjects")));
    }

    public long version() {
        return version;
    }

    public ConnectionInfo connection(String name) {
        return connections.get(name);
    }

    public PolicyEngine engine() {
        return engine;
    }

    public boolean isRevoked(String subject) {
        return revokedSubjects.contains(subject);
    }

    /** The masker for a verdict's masking rules, built once. */
    public Masker masker(List<MaskingRule> rules) {
        return maskers.computeIfAbsent(rules, Masker::of);
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> values = new HashSet<>();
        for (JsonNode value : array) {
            values.add(value.asString());
        }
        return Set.copyOf(values);
    }
}
