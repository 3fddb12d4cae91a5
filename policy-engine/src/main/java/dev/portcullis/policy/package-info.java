/**
 * The policy model of Portcullis and its documents: {@link dev.portcullis.policy.Policy} and its rules, read from YAML
 * or JSON by {@link dev.portcullis.policy.PolicyParser} (every problem with its line) and written back in canonical
 * form by {@link dev.portcullis.policy.PolicyDocuments}.
 *
 * <p>Plain Java on purpose: the same classes decide in the proxy and validate in the control plane, so nothing here may
 * depend on a framework.
 */
package dev.portcullis.policy;
