package dev.portcullis.policy;

import java.util.List;

/**
 * The "who" part of a condition: people by user name, people and agents by group, agents by service account. An empty
 * list does not constrain.
 *
 * @param users user names
 * @param groups group names
 * @param serviceAccounts service account names
 */
public record SubjectMatch(List<String> users, List<String> groups, List<String> serviceAccounts) {

    /**
     * Copies the lists; {@code null} stands for an empty list.
     *
     * @param users user names
     * @param groups group names
     * @param serviceAccounts service account names
     * @throws IllegalArgumentException if a list holds an empty entry
     */
    public SubjectMatch {
        users = Checks.texts("users", users);
        groups = Checks.texts("groups", groups);
        serviceAccounts = Checks.texts("serviceAccounts", serviceAccounts);
    }
}
