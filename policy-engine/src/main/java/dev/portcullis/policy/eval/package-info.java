/**
 * Policy evaluation: given who asks, on which connection, for what, {@link dev.portcullis.policy.eval.PolicyEngine}
 * answers with a {@link dev.portcullis.policy.eval.Verdict}.
 *
 * <p>The proxy builds a {@link dev.portcullis.policy.eval.RequestContext} per request (for a Kubernetes connection it
 * first reads the API call out of the path with {@link dev.portcullis.policy.eval.KubernetesPaths}) and enforces the
 * verdict; the control plane uses the same engine to show what a policy would have done. The engine runs on the
 * proxy's event loop, so evaluation does no I/O, takes no locks and allocates little.
 */
package dev.portcullis.policy.eval;
