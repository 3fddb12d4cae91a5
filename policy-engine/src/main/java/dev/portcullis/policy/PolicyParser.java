package dev.portcullis.policy;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Reads a policy from its document, YAML or JSON (the same document in both; see the design's "Resource formats").
 *
 * <p>The document is only composed into a node tree, never constructed into objects, so no tag in it can instantiate a
 * class; and walking the nodes keeps their positions, so every problem names its line. The walk goes on after a
 * problem and reports all it finds in one {@link PolicyValidationException}.
 *
 * <p>Keys are case-sensitive and unknown keys are errors, because a misspelt key that is silently ignored would
 * quietly weaken a policy. Enum values are accepted in any case, and a single value where a list is expected is read
 * as a list of one ({@code connections: demo-db}).
 */
public final class PolicyParser {

    /** The largest document accepted, in Unicode code points; a policy is a page of text, not a data file. */
    public static final int MAX_DOCUMENT_CODE_POINTS = 1024 * 1024;

    // A policy has no use for anchors beyond a few shared lists; a low cap shuts out "billion laughs".
    private static final int MAX_ALIASES = 20;
    private static final int MAX_NESTING_DEPTH = 20;

    static final List<String> POLICY_KEYS =
            List.of("name", "description", "priority", "connections", "default", "onUnparsed", "rules", "masking");
    static final List<String> RULE_KEYS = List.of("name", "when", "action", "reason", "review");
    static final List<String> REVIEW_KEYS = List.of("approvers", "approvals", "hold");
    static final List<String> CONDITION_KEYS = List.of("subjects", "sql", "http", "kubernetes");
    static final List<String> SUBJECT_KEYS = List.of("users", "groups", "serviceAccounts");
    static final List<String> SQL_KEYS = List.of("kinds", "withoutWhere", "tables", "functions", "pattern");
    static final List<String> HTTP_KEYS = List.of("methods", "paths");
    static final List<String> KUBERNETES_KEYS = List.of("verbs", "resources", "subresources", "namespaces");
    static final List<String> MASKING_KEYS = List.of("fields", "detectors");

    private static final Pattern WHOLE_NUMBER = Pattern.compile("[-+]?\\d{1,10}");

    private static final Comparator<PolicyProblem> DOCUMENT_ORDER = Comparator.comparing(
                    PolicyProblem::line, Comparator.nullsFirst(Comparator.<Integer>naturalOrder()))
            .thenComparing(PolicyProblem::column, Comparator.nullsFirst(Comparator.<Integer>naturalOrder()));

    private PolicyParser() {}

    /**
     * Reads and validates a policy document.
     *
     * @param document the YAML or JSON text
     * @return the policy
     * @throws PolicyValidationException listing every problem found, each with its line where it has one
     */
    public static Policy parse(String document) {
        Walk walk = new Walk();
        Node root = walk.compose(document);
        Policy policy = root == null ? null : walk.policy(root);
        walk.throwIfProblems();
        return policy;
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_DOCUMENT_CODE_POINTS);
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(MAX_NESTING_DEPTH);
        options.setTagInspector(tag -> false);
        DumperOptions dumperOptions = new DumperOptions();
        return new Yaml(new SafeConstructor(options), new Representer(dumperOptions), dumperOptions, options);
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    private static String shape(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return "a single value";
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Reads one value; a problem is reported by throwing {@link IllegalArgumentException}. */
    @FunctionalInterface
    private interface Element<T> {
        T read(Node node, String path);
    }

    /** One pass over the node tree, collecting problems instead of stopping at the first. */
    private static final class Walk {

        private final List<PolicyProblem> problems = new ArrayList<>();

        Node compose(String document) {
            if (document == null || document.isBlank()) {
                problem("", (Mark) null, "document is empty");
                return null;
            }
            if (document.length() > 2 * MAX_DOCUMENT_CODE_POINTS
                    || document.codePointCount(0, document.length()) > MAX_DOCUMENT_CODE_POINTS) {
                problem(
                        "",
                        (Mark) null,
                        "document is too large (the limit is " + MAX_DOCUMENT_CODE_POINTS + " characters)");
                return null;
            }
            try {
                Node root = yaml().compose(new StringReader(untabJson(document)));
                if (root == null || isNull(root)) {
                    problem("", root, "document is empty");
                    return null;
                }
                return root;
            } catch (MarkedYAMLException e) {
                Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
                problem("", mark, "syntax error: " + describe(e));
            } catch (YAMLException e) {
                problem("", (Mark) null, "syntax error: " + firstLine(e.getMessage()));
            }
            return null;
        }

        Policy policy(Node root) {
            if (!(root instanceof MappingNode mapping)) {
                problem("", root, "a policy document must be a mapping of keys to values, got " + shape(root));
                return null;
            }
            int before = problems.size();
            Fields fields = new Fields(mapping, "", POLICY_KEYS);
            String name = fields.required("name", node -> Checks.name("name", text(node, "name")));
            String description = fields.optional("description", node -> text(node, "description"));
            Integer priority = fields.optional("priority", node -> integer(node, "priority"));
            List<ConnectionSelector> connections = fields.list(
                    "connections", true, leaf(node -> ConnectionSelector.parse(entry(node, "connections"))));
            Action defaultAction = fields.optional("default", node -> action(text(node, "default")));
            Action onUnparsed = fields.optional("onUnparsed", node -> action(text(node, "onUnparsed")));
            List<Rule> rules = fields.list("rules", false, this::rule);
            checkRuleNamesUnique(fields.value("rules"));
            List<MaskingRule> masking = fields.list("masking", false, this::maskingRule);
            return build(
                    mapping,
                    "",
                    before,
                    () -> new Policy(
                            name,
                            description,
                            priority == null ? Policy.DEFAULT_PRIORITY : priority,
                            connections,
                            defaultAction,
                            onUnparsed,
                            rules,
                            masking));
        }

        private Rule rule(Node node, String path) {
            MappingNode mapping = mapping(node, path, "each rule must be a mapping");
            if (mapping == null) {
                return null;
            }
            int before = problems.size();
            Fields fields = new Fields(mapping, path, RULE_KEYS);
            String name = fields.required("name", n -> Checks.name("name", text(n, "name")));
            Condition when = fields.nested("when", this::condition);
            Action action = fields.required("action", n -> action(text(n, "action")));
            String reason = fields.optional("reason", n -> text(n, "reason"));
            ReviewSpec review = null;
            if (fields.present("review") && action != null && action != Action.REVIEW) {
                problem(
                        join(path, "review"),
                        fields.keyNode("review"),
                        "'review' is only allowed on REVIEW rules, this one is " + action);
            } else {
                review = fields.nested("review", this::review);
                if (action == Action.REVIEW && fields.value("review") == null) {
                    problem(join(path, "review"), mapping, "REVIEW rule needs review.approvers");
                }
            }
            ReviewSpec finalReview = review;
            return build(mapping, path, before, () -> new Rule(name, when, action, reason, finalReview));
        }

        private Condition condition(Node node, String path) {
            MappingNode mapping = mapping(node, path, "'when' must be a mapping");
            if (mapping == null) {
                return null;
            }
            int before = problems.size();
            Fields fields = new Fields(mapping, path, CONDITION_KEYS);
            SubjectMatch subjects = fields.nested("subjects", this::subjects);
            SqlMatch sql = fields.nested("sql", this::sql);
            HttpMatch http = fields.nested("http", this::http);
            KubernetesMatch kubernetes = fields.nested("kubernetes", this::kubernetes);
            return build(mapping, path, before, () -> new Condition(subjects, sql, http, kubernetes));
        }

        private SubjectMatch subjects(Node node, String path) {
            MappingNode mapping = mapping(node, path, "'subjects' must be a mapping");
            if (mapping == null) {
                return null;
            }
            int before = problems.size();
            Fields fields = new Fields(mapping, path, SUBJECT_KEYS);
            List<String> users = fields.list("users", false, strings("users"));
            List<String> groups = fields.list("groups", false, strings("groups"));
            List<String> serviceAccounts = fields.list("serviceAccounts", false, strings("serviceAccounts"));
            return build(mapping, path, before, () -> new SubjectMatch(users, groups, serviceAccounts));
        }

        private SqlMatch sql(Node node, String path) {
            MappingNode mapping = mapping(node, path, "'sql' must be a mapping");
            if (mapping == null) {
                return null;
            }
            int before = problems.size();
            Fields fields = new Fields(mapping, path, SQL_KEYS);
            List<SqlKind> kinds =
                    fields.list("kinds", false, leaf(n -> enumValue(entry(n, "kinds"), SqlKind.class, "SQL kind")));
            Boolean withoutWhere = fields.optional("withoutWhere", n -> bool(n, "withoutWhere"));
            List<String> tables = fields.list("tables", false, strings("tables"));
            List<String> functions = fields.list("functions", false, strings("functions"));
            String pattern = fields.optional("pattern", n -> Checks.regex(text(n, "pattern")));
            return build(mapping, path, before, () -> new SqlMatch(kinds, withoutWhere, tables, functions, pattern));
        }

        private HttpMatch http(Node node, String path) {
            MappingNode mapping = mapping(node, path, "'http' must be a mapping");
            if (mapping == null) {
                return null;
            }
            int before = problems.size();
            Fields fields = new Fields(mapping, path, HTTP_KEYS);
            List<String> methods = fields.list("methods", false, leaf(n -> Checks.httpMethod(entry(n, "methods"))));
            List<String> paths = fields.list("paths", false, leaf(n -> new PathPattern(entry(n, "paths")).pattern()));
            return build(mapping, path, before, () -> new HttpMatch(methods, paths));
        }

        private KubernetesMatch kubernetes(Node node, String path) {
            MappingNode mapping = mapping(node, path, "'kubernetes' must be a mapping");
            if (mapping == null) {
                return null;
            }
            int before = problems.size();
            Fields fields = new Fields(mapping, path, KUBERNETES_KEYS);
            List<String> verbs = fields.list("verbs", false, leaf(n -> Checks.kubernetesVerb(entry(n, "verbs"))));
            List<String> resources = fields.list("resources", false, strings("resources"));
            List<String> subresources = fields.list("subresources", false, strings("subresources"));
            List<String> namespaces = fields.list("namespaces", false, strings("namespaces"));
            return build(mapping, path, before, () -> new KubernetesMatch(verbs, resources, subresources, namespaces));
        }

        private ReviewSpec review(Node node, String path) {
            MappingNode mapping = mapping(node, path, "'review' must be a mapping");
            if (mapping == null) {
                return null;
            }
            int before = problems.size();
            Fields fields = new Fields(mapping, path, REVIEW_KEYS);
            int beforeApprovers = problems.size();
            List<String> approvers = fields.list("approvers", false, strings("approvers"));
            if (approvers.isEmpty() && problems.size() == beforeApprovers) {
                Node approversNode = fields.value("approvers");
                problem(
                        join(path, "approvers"),
                        approversNode != null ? approversNode : mapping,
                        "REVIEW rule needs review.approvers");
            }
            Integer approvals = fields.optional("approvals", n -> Checks.approvals(integer(n, "approvals")));
            Duration hold = fields.optional("hold", n -> Checks.hold(duration(n, "hold")));
            return build(
                    mapping,
                    path,
                    before,
                    () -> new ReviewSpec(
                            approvers, approvals == null ? ReviewSpec.DEFAULT_APPROVALS : approvals, hold));
        }

        private MaskingRule maskingRule(Node node, String path) {
            MappingNode mapping = mapping(node, path, "each masking rule must be a mapping");
            if (mapping == null) {
                return null;
            }
            int before = problems.size();
            Fields fields = new Fields(mapping, path, MASKING_KEYS);
            List<String> names = fields.list("fields", false, strings("fields"));
            List<Detector> detectors = fields.list(
                    "detectors", false, leaf(n -> enumValue(entry(n, "detectors"), Detector.class, "detector")));
            if (problems.size() == before && names.isEmpty() && detectors.isEmpty()) {
                problem(path, mapping, "masking rule needs 'fields' or 'detectors'");
            }
            return build(mapping, path, before, () -> new MaskingRule(names, detectors));
        }

        /** Looks at the raw names so that duplicates are found even among rules that are invalid otherwise. */
        private void checkRuleNamesUnique(Node rules) {
            if (!(rules instanceof SequenceNode sequence)) {
                return;
            }
            Map<String, Integer> firstUse = new HashMap<>();
            List<Node> items = sequence.getValue();
            for (int i = 0; i < items.size(); i++) {
                if (!(items.get(i) instanceof MappingNode rule)) {
                    continue;
                }
                for (NodeTuple tuple : rule.getValue()) {
                    if (tuple.getKeyNode() instanceof ScalarNode key
                            && key.getValue().equals("name")
                            && tuple.getValueNode() instanceof ScalarNode value
                            && !isNull(value)) {
                        Integer first = firstUse.putIfAbsent(value.getValue(), i);
                        if (first != null) {
                            problem(
                                    "rules[" + i + "].name",
                                    value,
                                    "duplicate rule name " + Checks.quote(value.getValue()) + " (already used by rules["
                                            + first + "])");
                        }
                        break;
                    }
                }
            }
        }

        private <T> Element<T> leaf(Function<Node, T> converter) {
            return (node, path) -> convert(node, path, converter);
        }

        private Element<String> strings(String key) {
            return leaf(node -> entry(node, key));
        }

        private <T> T convert(Node node, String path, Function<Node, T> converter) {
            try {
                return converter.apply(node);
            } catch (IllegalArgumentException e) {
                problem(path, node, e.getMessage());
                return null;
            }
        }

        /** Constructs a record once its parts are known good; the records' own checks are the last line. */
        private <T> T build(Node node, String path, int problemsBefore, Supplier<T> constructor) {
            if (problems.size() > problemsBefore) {
                return null;
            }
            try {
                return constructor.get();
            } catch (IllegalArgumentException e) {
                problem(path, node, e.getMessage());
                return null;
            }
        }

        private MappingNode mapping(Node node, String path, String message) {
            if (node instanceof MappingNode mapping) {
                return mapping;
            }
            problem(path, node, message + ", got " + shape(node));
            return null;
        }

        private void problem(String path, Node node, String message) {
            problem(path, node == null ? null : node.getStartMark(), message);
        }

        private void problem(String path, Mark mark, String message) {
            Integer line = mark == null ? null : mark.getLine() + 1;
            Integer column = mark == null ? null : mark.getColumn() + 1;
            problems.add(new PolicyProblem(path, line, column, message));
        }

        void throwIfProblems() {
            if (!problems.isEmpty()) {
                List<PolicyProblem> sorted = new ArrayList<>(problems);
                sorted.sort(DOCUMENT_ORDER);
                throw new PolicyValidationException(sorted);
            }
        }

        /** The keys of one mapping, checked against the keys allowed there. */
        private final class Fields {

            private final MappingNode mapping;
            private final String path;
            private final Map<String, NodeTuple> tuples = new LinkedHashMap<>();

            Fields(MappingNode mapping, String path, List<String> allowed) {
                this.mapping = mapping;
                this.path = path;
                for (NodeTuple tuple : mapping.getValue()) {
                    Node keyNode = tuple.getKeyNode();
                    if (!(keyNode instanceof ScalarNode scalar) || isNull(keyNode)) {
                        problem(path, keyNode, "keys must be plain names, got " + shape(keyNode));
                        continue;
                    }
                    String key = scalar.getValue();
                    if (!allowed.contains(key)) {
                        problem(
                                join(path, key),
                                keyNode,
                                "unknown key " + Checks.quote(key) + " (expected one of: " + String.join(", ", allowed)
                                        + ")");
                    } else if (tuples.containsKey(key)) {
                        problem(join(path, key), keyNode, "duplicate key " + Checks.quote(key));
                    } else {
                        tuples.put(key, tuple);
                    }
                }
            }

            boolean present(String key) {
                return tuples.containsKey(key);
            }

            Node keyNode(String key) {
                return tuples.get(key).getKeyNode();
            }

            /** The value, or {@code null} when the key is absent or its value is empty. */
            Node value(String key) {
                NodeTuple tuple = tuples.get(key);
                return tuple == null || isNull(tuple.getValueNode()) ? null : tuple.getValueNode();
            }

            <T> T required(String key, Function<Node, T> converter) {
                if (!present(key)) {
                    problem(join(path, key), mapping, "missing required key '" + key + "'");
                    return null;
                }
                return convert(tuples.get(key).getValueNode(), join(path, key), converter);
            }

            <T> T optional(String key, Function<Node, T> converter) {
                Node value = value(key);
                return value == null ? null : convert(value, join(path, key), converter);
            }

            <T> T nested(String key, Element<T> element) {
                Node value = value(key);
                return value == null ? null : element.read(value, join(path, key));
            }

            <T> List<T> list(String key, boolean required, Element<T> element) {
                String listPath = join(path, key);
                if (!present(key)) {
                    if (required) {
                        problem(listPath, mapping, "missing required key '" + key + "'");
                    }
                    return List.of();
                }
                Node value = tuples.get(key).getValueNode();
                List<Node> items;
                if (isNull(value)) {
                    items = List.of();
                } else if (value instanceof SequenceNode sequence) {
                    items = sequence.getValue();
                } else if (value instanceof ScalarNode) {
                    items = List.of(value);
                } else {
                    problem(listPath, value, "'" + key + "' must be a list, got " + shape(value));
                    return List.of();
                }
                if (required && items.isEmpty()) {
                    problem(listPath, value, "'" + key + "' must not be empty");
                    return List.of();
                }
                List<T> result = new ArrayList<>(items.size());
                for (int i = 0; i < items.size(); i++) {
                    T item = element.read(items.get(i), listPath + "[" + i + "]");
                    if (item != null) {
                        result.add(item);
                    }
                }
                return result;
            }
        }
    }

    private static String text(Node node, String key) {
        if (!(node instanceof ScalarNode scalar)) {
            throw new IllegalArgumentException("'" + key + "' must be a single value, got " + shape(node));
        }
        if (isNull(node) || scalar.getValue().isBlank()) {
            throw new IllegalArgumentException("'" + key + "' must not be empty");
        }
        return scalar.getValue();
    }

    private static String entry(Node node, String key) {
        if (!(node instanceof ScalarNode scalar)) {
            throw new IllegalArgumentException("entries of '" + key + "' must be single values, got " + shape(node));
        }
        if (isNull(node) || scalar.getValue().isBlank()) {
            throw new IllegalArgumentException("'" + key + "' must not contain empty entries");
        }
        return scalar.getValue();
    }

    private static int integer(Node node, String key) {
        String text = text(node, key).trim();
        if (WHOLE_NUMBER.matcher(text).matches()) {
            long value = Long.parseLong(text);
            if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
                return (int) value;
            }
        }
        throw new IllegalArgumentException("'" + key + "' must be a whole number, got " + Checks.quote(text));
    }

    private static boolean bool(Node node, String key) {
        String text = text(node, key).trim().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default ->
                throw new IllegalArgumentException("'" + key + "' must be true or false, got " + Checks.quote(text));
        };
    }

    private static Duration duration(Node node, String key) {
        String text = text(node, key);
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "'" + key + "' must be " + Durations.EXPECTED + ", got " + Checks.quote(text));
        }
    }

    private static Action action(String text) {
        return enumValue(text, Action.class, "action");
    }

    private static <E extends Enum<E>> E enumValue(String text, Class<E> type, String label) {
        try {
            return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            String expected =
                    Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
            throw new IllegalArgumentException(
                    "unknown " + label + " " + Checks.quote(text) + " (expected one of: " + expected + ")");
        }
    }

    private static String describe(MarkedYAMLException e) {
        String problem = e.getProblem();
        String context = e.getContext();
        if (problem == null) {
            return context != null ? context : firstLine(e.getMessage());
        }
        // some problems only make sense after their context: "expected a single document ... but found another"
        return context != null && problem.startsWith("but ") ? context + " " + problem : problem;
    }

    /**
     * YAML forbids tabs as indentation even inside flow collections, while tab-indented JSON is common; so in a
     * document that starts as JSON the tabs between tokens become spaces. Tabs inside quoted strings are left alone,
     * and since one character replaces one, the line and column of every problem stay true.
     */
    private static String untabJson(String document) {
        String start = document.stripLeading();
        if (!(start.startsWith("{") || start.startsWith("[")) || document.indexOf('\t') < 0) {
            return document;
        }
        char[] chars = document.toCharArray();
        char quote = 0;
        for (int i = 0; i < chars.length; i++) {
            char c = chars[i];
            if (quote == '"' && c == '\\') {
                i++;
            } else if (quote != 0) {
                // a doubled '' inside single quotes closes and reopens, which comes to the same
                quote = c == quote ? 0 : quote;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '\t') {
                chars[i] = ' ';
            }
        }
        return new String(chars);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed document";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
