/**
 * Session recording shared by every protocol and by both sides of the wire: the event types, the canonical bytes of
 * an event and the SHA-256 chain that links each event of a session to the one before it.
 *
 * <p>A proxy builds each event with {@link dev.portcullis.recording.SessionEvent#next}, which numbers it and hashes
 * it over the previous event's hash and its own canonical bytes ({@link dev.portcullis.recording.CanonicalJson}: keys
 * sorted, no whitespace, integers as digits, decimals without trailing zeros). The control plane stores the payload
 * as PostgreSQL {@code jsonb}, which reorders keys and drops whitespace; because the hash is over the canonical form,
 * re-reading the stored payload and re-canonicalizing it gives the same bytes, so the chain verifies from what is
 * stored and any edit, deletion or reordering shows ({@link dev.portcullis.recording.ChainVerifier}).
 *
 * <p>Payload fields by event type ({@link dev.portcullis.recording.EventTypes}):
 *
 * <ul>
 *   <li>{@code session.start}: {@code subject, groups, clientId, connection, connectionType, proxyNode}
 *   <li>{@code http.request}: {@code method, path, query, command, headers} (credentials removed) and the body fields
 *       of {@link dev.portcullis.recording.BodyCapture}; for Kubernetes also {@code namespace, resource}
 *   <li>{@code policy.decision}: {@code verdict} ({@code ALLOW|BLOCK|REVIEW}), {@code policy, rule, reason}
 *   <li>{@code review.opened}: {@code reviewId, rule, approverGroups}; {@code review.decided}: {@code reviewId,
 *       status, decisions}
 *   <li>{@code http.response}: {@code status, headers, masked} and the body fields, as the caller received it
 *   <li>{@code error}: {@code status, message}; {@code session.end}: {@code reason} ({@code idle, revoked, closed})
 * </ul>
 *
 * <p>Strings in a payload never hold U+0000 (PostgreSQL's {@code jsonb} cannot store it): bodies that could are
 * carried in base64.
 */
package dev.portcullis.recording;
