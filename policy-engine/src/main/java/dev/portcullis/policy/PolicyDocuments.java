package dev.portcullis.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Writes a policy back as its document, in one canonical form: keys in the order of the design's example, defaults
 * spelt out ({@code priority}, {@code default}, {@code onUnparsed}, a review's {@code approvals} and {@code hold}),
 * absent and empty optional parts left out, durations in short form ({@code 60s}, {@code 5m}).
 *
 * <p>{@code PolicyParser.parse(toYaml(policy))} equals {@code policy}, so the canonical text is what the console shows
 * and what two policies are compared by.
 */
public final class PolicyDocuments {

    private PolicyDocuments() {}

    /**
     * Renders a policy as the map behind its document, ready for a YAML or JSON writer.
     *
     * @param policy the policy
     * @return a {@link LinkedHashMap} whose values are strings, numbers, booleans, lists and such maps
     */
    public static Map<String, Object> toMap(Policy policy) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", policy.name());
        putIfPresent(map, "description", policy.description());
        map.put("priority", policy.priority());
        map.put(
                "connections",
                new ArrayList<>(policy.connections().stream()
                        .map(ConnectionSelector::asText)
                        .toList()));
        map.put("default", policy.defaultAction().name());
        map.put("onUnparsed", policy.onUnparsed().name());
        if (!policy.rules().isEmpty()) {
            map.put(
                    "rules",
                    new ArrayList<>(
                            policy.rules().stream().map(PolicyDocuments::rule).toList()));
        }
        if (!policy.masking().isEmpty()) {
            map.put(
                    "masking",
                    new ArrayList<>(policy.masking().stream()
                            .map(PolicyDocuments::masking)
                            .toList()));
        }
        return map;
    }

    /**
     * Renders a policy as a YAML document in block style.
     *
     * @param policy the policy
     * @return the YAML text
     */
    public static String toYaml(Policy policy) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setWidth(120);
        // a folded regular expression is still correct, but one a person cannot read
        options.setSplitLines(false);
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()), new Representer(options), options);
        return yaml.dump(toMap(policy));
    }

    private static Map<String, Object> rule(Rule rule) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", rule.name());
        if (rule.when() != null) {
            map.put("when", condition(rule.when()));
        }
        map.put("action", rule.action().name());
        putIfPresent(map, "reason", rule.reason());
        if (rule.review() != null) {
            Map<String, Object> review = new LinkedHashMap<>();
            review.put("approvers", new ArrayList<>(rule.review().approvers()));
            review.put("approvals", rule.review().approvals());
            review.put("hold", Durations.format(rule.review().hold()));
            map.put("review", review);
        }
        return map;
    }

    private static Map<String, Object> condition(Condition condition) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (condition.subjects() != null) {
            Map<String, Object> subjects = new LinkedHashMap<>();
            putIfNotEmpty(subjects, "users", condition.subjects().users());
            putIfNotEmpty(subjects, "groups", condition.subjects().groups());
            putIfNotEmpty(subjects, "serviceAccounts", condition.subjects().serviceAccounts());
            map.put("subjects", subjects);
        }
        if (condition.sql() != null) {
            SqlMatch sql = condition.sql();
            Map<String, Object> part = new LinkedHashMap<>();
            putIfNotEmpty(part, "kinds", names(sql.kinds()));
            putIfPresent(part, "withoutWhere", sql.withoutWhere());
            putIfNotEmpty(part, "tables", sql.tables());
            putIfNotEmpty(part, "functions", sql.functions());
            putIfPresent(part, "pattern", sql.pattern());
            map.put("sql", part);
        }
        if (condition.http() != null) {
            Map<String, Object> http = new LinkedHashMap<>();
            putIfNotEmpty(http, "methods", condition.http().methods());
            putIfNotEmpty(http, "paths", condition.http().paths());
            map.put("http", http);
        }
        if (condition.kubernetes() != null) {
            KubernetesMatch kubernetes = condition.kubernetes();
            Map<String, Object> part = new LinkedHashMap<>();
            putIfNotEmpty(part, "verbs", kubernetes.verbs());
            putIfNotEmpty(part, "resources", kubernetes.resources());
            putIfNotEmpty(part, "subresources", kubernetes.subresources());
            putIfNotEmpty(part, "namespaces", kubernetes.namespaces());
            map.put("kubernetes", part);
        }
        return map;
    }

    private static Map<String, Object> masking(MaskingRule rule) {
        Map<String, Object> map = new LinkedHashMap<>();
        putIfNotEmpty(map, "fields", rule.fields());
        putIfNotEmpty(map, "detectors", names(rule.detectors()));
        return map;
    }

    private static List<String> names(List<? extends Enum<?>> values) {
        List<String> names = new ArrayList<>(values.size());
        values.forEach(value -> names.add(value.name()));
        return names;
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static void putIfNotEmpty(Map<String, Object> map, String key, List<?> values) {
        if (!values.isEmpty()) {
            // a fresh list, so callers may edit the map without touching the policy
            map.put(key, new ArrayList<>(values));
        }
    }
}
