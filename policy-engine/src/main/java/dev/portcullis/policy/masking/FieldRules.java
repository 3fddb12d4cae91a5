package dev.portcullis.policy.masking;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The field rules of a masker, in the syntax {@link Masker} documents: names and globs that match at any depth, and
 * paths from the top where {@code [*]} (or any bracketed index) stands for an array element. Matching ignores case
 * and covers subtrees.
 */
final class FieldRules {

    private final String[] names;
    /** Path rules as segments; {@code null} stands for {@code [*]}. */
    private final String[][] paths;

    private FieldRules(String[] names, String[][] paths) {
        this.names = names;
        this.paths = paths;
    }

    static FieldRules of(Collection<String> rules) {
        Set<String> names = new LinkedHashSet<>();
        List<String[]> paths = new ArrayList<>();
        for (String rule : rules) {
            List<String> segments = segments(rule.trim());
            if (segments.isEmpty()) {
                continue;
            }
            if (segments.size() == 1 && segments.get(0) != null && rule.indexOf('.') < 0 && rule.indexOf('[') < 0) {
                names.add(segments.get(0));
            } else {
                paths.add(segments.toArray(new String[0]));
            }
        }
        return new FieldRules(names.toArray(new String[0]), paths.toArray(new String[0][]));
    }

    boolean isEmpty() {
        return names.length == 0 && paths.length == 0;
    }

    /**
     * Whether a field given by name or path ({@code email}, {@code customer.email}, {@code items[3].card_number}) is
     * masked: it matches, or a field above it does.
     */
    boolean matches(String pathOrName) {
        List<String> segments = segments(pathOrName.trim());
        String[] path = segments.toArray(new String[0]);
        for (int length = 1; length <= path.length; length++) {
            if (matchesAt(path, length)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the value at {@code path[0..length)} matches a rule itself, not counting the fields above it.
     * {@code path[i]} is a field name, or {@code null} for an array element.
     */
    boolean matchesAt(String[] path, int length) {
        String last = path[length - 1];
        if (last != null) {
            for (String name : names) {
                if (Globs.matches(name, last)) {
                    return true;
                }
            }
        }
        for (String[] rule : paths) {
            if (rule.length == length && pathMatches(rule, path)) {
                return true;
            }
        }
        return false;
    }

    private static boolean pathMatches(String[] rule, String[] path) {
        for (int i = 0; i < rule.length; i++) {
            if (rule[i] == null ? path[i] != null : path[i] == null || !Globs.matches(rule[i], path[i])) {
                return false;
            }
        }
        return true;
    }

    /** Splits a path into names and {@code null} for each bracket pair; empty names from {@code ..} are dropped. */
    static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            int close = c == '[' ? path.indexOf(']', i) : -1;
            if (c == '.' || close > 0) {
                flush(name, segments);
                if (close > 0) {
                    segments.add(null);
                    i = close;
                }
            } else {
                name.append(c);
            }
        }
        flush(name, segments);
        return segments;
    }

    private static void flush(StringBuilder name, List<String> segments) {
        if (name.length() > 0) {
            segments.add(name.toString());
            name.setLength(0);
        }
    }

    @Override
    public String toString() {
        List<String> rules = new ArrayList<>(List.of(names));
        for (String[] path : paths) {
            StringBuilder text = new StringBuilder();
            for (String segment : path) {
                if (segment == null) {
                    text.append("[*]");
                } else {
                    text.append(text.length() == 0 ? "" : ".").append(segment);
                }
            }
            rules.add(text.toString());
        }
        return rules.toString();
    }
}
