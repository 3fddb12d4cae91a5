package dev.portcullis.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The invariants of the rule model, shared by the records and the parser so that a policy built in code and one read
 * from a document are refused for the same reasons, in the same words.
 */
final class Checks {

    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    static final int MIN_APPROVALS = 1;
    static final int MAX_APPROVALS = 10;
    static final Duration MIN_HOLD = Duration.ofSeconds(1);
    static final Duration MAX_HOLD = Duration.ofHours(24);

    static final List<String> HTTP_METHODS =
            List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");

    static final List<String> KUBERNETES_VERBS =
            List.of("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection");

    // Values echoed into messages are cut short so one pasted blob cannot swamp the console.
    private static final int MAX_QUOTED = 64;

    private Checks() {}

    static String name(String key, String value) {
        text(key, value);
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + key
                    + "' must be 1 to 63 characters of a-z, 0-9, '.', '_' or '-' starting with a letter or digit, got "
                    + quote(value));
        }
        return value;
    }

    static String text(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("'" + key + "' must not be empty");
        }
        return value;
    }

    static String optionalText(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    static <T> List<T> list(String key, Collection<? extends T> values) {
        return list(key, values, UnaryOperator.identity());
    }

    static <T> List<T> list(String key, Collection<? extends T> values, UnaryOperator<T> check) {
        if (values == null) {
            return List.of();
        }
        List<T> copy = new ArrayList<>(values.size());
        for (T value : values) {
            if (value == null) {
                throw new IllegalArgumentException("'" + key + "' must not contain empty entries");
            }
            copy.add(check.apply(value));
        }
        return List.copyOf(copy);
    }

    static List<String> texts(String key, Collection<String> values) {
        return list(key, values, value -> {
            if (value.isBlank()) {
                throw new IllegalArgumentException("'" + key + "' must not contain empty entries");
            }
            return value;
        });
    }

    static int approvals(int approvals) {
        if (approvals < MIN_APPROVALS || approvals > MAX_APPROVALS) {
            throw new IllegalArgumentException(
                    "'approvals' must be between " + MIN_APPROVALS + " and " + MAX_APPROVALS + ", got " + approvals);
        }
        return approvals;
    }

    static Duration hold(Duration hold) {
        if (hold.compareTo(MIN_HOLD) < 0 || hold.compareTo(MAX_HOLD) > 0) {
            throw new IllegalArgumentException("'hold' must be between " + Durations.format(MIN_HOLD) + " and "
                    + Durations.format(MAX_HOLD) + ", got " + Durations.format(hold));
        }
        return hold;
    }

    static String regex(String pattern) {
        text("pattern", pattern);
        try {
            Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            String where = e.getIndex() >= 0 ? " near index " + e.getIndex() : "";
            throw new IllegalArgumentException(
                    "'pattern' is not a valid regular expression: " + e.getDescription() + where);
        }
        return pattern;
    }

    static String httpMethod(String method) {
        String upper = text("methods", method).trim().toUpperCase(Locale.ROOT);
        if (!HTTP_METHODS.contains(upper)) {
            throw new IllegalArgumentException("unknown HTTP method " + quote(method) + " (expected one of: "
                    + String.join(", ", HTTP_METHODS) + ")");
        }
        return upper;
    }

    static String kubernetesVerb(String verb) {
        String lower = text("verbs", verb).trim().toLowerCase(Locale.ROOT);
        if (!KUBERNETES_VERBS.contains(lower)) {
            throw new IllegalArgumentException("unknown Kubernetes verb " + quote(verb) + " (expected one of: "
                    + String.join(", ", KUBERNETES_VERBS) + ")");
        }
        return lower;
    }

    static String quote(String value) {
        String shown = value.length() > MAX_QUOTED ? value.substring(0, MAX_QUOTED) + "..." : value;
        return "'" + shown + "'";
    }
}
