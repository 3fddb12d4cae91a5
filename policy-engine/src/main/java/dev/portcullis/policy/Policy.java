package dev.portcullis.policy;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A policy: an ordered list of rules for the connections it names, the action when none matches, and what to mask.
 * Where several policies apply to one connection their rules are tried in order of {@link #priority()} (lower first),
 * the most restrictive default holds and masking rules add up.
 *
 * <p>Read one from YAML or JSON with {@link PolicyParser#parse(String)}; write one with {@link PolicyDocuments}.
 *
 * @param name the policy's name, 1 to 63 characters of {@code a-z}, {@code 0-9}, {@code .}, {@code _}, {@code -}
 * @param description free text for people, or {@code null}
 * @param priority the order among policies, lower first; {@value #DEFAULT_PRIORITY} if a document does not say
 * @param connections the connections this policy applies to, not empty
 * @param defaultAction what happens when no rule matches; {@link Action#BLOCK} if not given, so a policy fails
 *     closed
 * @param onUnparsed what happens to SQL that cannot be parsed; {@link Action#BLOCK} if not given
 * @param rules the rules, tried in order
 * @param masking the masking rules
 */
public record Policy(
        String name,
        String description,
        int priority,
        List<ConnectionSelector> connections,
        Action defaultAction,
        Action onUnparsed,
        List<Rule> rules,
        List<MaskingRule> masking) {

    /** The priority of a policy whose document does not give one. */
    public static final int DEFAULT_PRIORITY = 100;

    /**
     * Checks the policy and copies its lists; {@code null} actions stand for {@link Action#BLOCK} and {@code null}
     * lists for empty ones.
     *
     * @param name the policy's name, 1 to 63 characters of {@code a-z}, {@code 0-9}, {@code .}, {@code _}, {@code -}
     * @param description free text for people, or {@code null}
     * @param priority the order among policies, lower first; {@value #DEFAULT_PRIORITY} if a document does not say
     * @param connections the connections this policy applies to, not empty
     * @param defaultAction what happens when no rule matches; {@link Action#BLOCK} if not given, so a policy fails
     *     closed
     * @param onUnparsed what happens to SQL that cannot be parsed; {@link Action#BLOCK} if not given
     * @param rules the rules, tried in order
     * @param masking the masking rules
     * @throws IllegalArgumentException if the name is invalid, there are no connections, or two rules share a name
     */
    public Policy {
        Checks.name("name", name);
        description = Checks.optionalText(description);
        connections = Checks.list("connections", connections);
        if (connections.isEmpty()) {
            throw new IllegalArgumentException("'connections' must not be empty");
        }
        defaultAction = defaultAction == null ? Action.BLOCK : defaultAction;
        onUnparsed = onUnparsed == null ? Action.BLOCK : onUnparsed;
        rules = Checks.list("rules", rules);
        masking = Checks.list("masking", masking);
        Set<String> names = new HashSet<>();
        for (Rule rule : rules) {
            if (!names.add(rule.name())) {
                throw new IllegalArgumentException("duplicate rule name '" + rule.name() + "'");
            }
        }
    }

    /**
     * Tells whether this policy applies to a connection.
     *
     * @param connectionName the connection's name
     * @param tags the connection's tags, may be {@code null} for none
     * @return {@code true} if any selector matches
     */
    public boolean appliesTo(String connectionName, Collection<String> tags) {
        return connections.stream().anyMatch(selector -> selector.matches(connectionName, tags));
    }

    /**
     * Finds a rule by name.
     *
     * @param ruleName the rule's name
     * @return the rule, or empty if this policy has none of that name
     */
    public Optional<Rule> rule(String ruleName) {
        return rules.stream().filter(rule -> rule.name().equals(ruleName)).findFirst();
    }
}
