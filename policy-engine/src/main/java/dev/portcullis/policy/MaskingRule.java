package dev.portcullis.policy;

import java.util.List;

/**
 * What to mask in what a policy allows through. Masking rules of all applicable policies add up.
 *
 * @param fields column names and JSON field names (at any depth), or globs over them such as {@code *_token}
 * @param detectors detectors that find sensitive values in any field
 */
public record MaskingRule(List<String> fields, List<Detector> detectors) {

    /**
     * Copies the lists.
     *
     * @param fields column names and JSON field names (at any depth), or globs over them such as {@code *_token}
     * @param detectors detectors that find sensitive values in any field
     * @throws IllegalArgumentException if both lists are empty, since such a rule would mask nothing
     */
    public MaskingRule {
        fields = Checks.texts("fields", fields);
        detectors = Checks.list("detectors", detectors);
        if (fields.isEmpty() && detectors.isEmpty()) {
            throw new IllegalArgumentException("masking rule needs 'fields' or 'detectors'");
        }
    }
}
