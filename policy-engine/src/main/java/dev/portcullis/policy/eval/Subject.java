package dev.portcullis.policy.eval;

import java.util.Arrays;
import java.util.Collection;
import java.util.Set;

/**
 * The authenticated caller of a request: a person or a service account (an agent).
 *
 * @param name the token's subject: the user name of a person, the name of a service account
 * @param groups the groups the caller belongs to, from the token
 * @param serviceAccount {@code true} for a service account, {@code false} for a person
 */
public record Subject(String name, Set<String> groups, boolean serviceAccount) {

    /**
     * Checks the name and copies the groups; {@code null} groups stand for none.
     *
     * @param name the token's subject: the user name of a person, the name of a service account
     * @param groups the groups the caller belongs to, from the token
     * @param serviceAccount {@code true} for a service account, {@code false} for a person
     * @throws IllegalArgumentException if the name is empty or a group is {@code null}
     */
    public Subject {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("subject name must not be empty");
        }
        if (groups == null) {
            groups = Set.of();
        } else {
            // contains(null) would throw on immutable sets, so look at each entry
            for (String group : groups) {
                if (group == null) {
                    throw new IllegalArgumentException("subject groups must not contain null");
                }
            }
            groups = Set.copyOf(groups);
        }
    }

    /**
     * A person.
     *
     * @param name the user name
     * @param groups the person's groups
     * @return the subject
     */
    public static Subject user(String name, String... groups) {
        return new Subject(name, Set.copyOf(Arrays.asList(groups)), false);
    }

    /**
     * A service account.
     *
     * @param name the service account's name
     * @param groups the service account's groups
     * @return the subject
     */
    public static Subject serviceAccount(String name, String... groups) {
        return new Subject(name, Set.copyOf(Arrays.asList(groups)), true);
    }

    /**
     * Tells whether the caller belongs to at least one of the given groups.
     *
     * @param candidates group names; {@code null} stands for none
     * @return {@code true} if the caller is in any of them, {@code false} for none given
     */
    public boolean inAnyGroup(Collection<String> candidates) {
        if (candidates == null || candidates.isEmpty() || groups.isEmpty()) {
            return false;
        }
        // a for loop rather than a stream: this runs per request on the event loop
        for (String candidate : candidates) {
            if (candidate != null && groups.contains(candidate)) {
                return true;
            }
        }
        return false;
    }
}
