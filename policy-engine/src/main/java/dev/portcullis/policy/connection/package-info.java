/**
 * The connection values exchanged between the control plane and the proxies: connection types, the credentials
 * Portcullis presents on the caller's behalf (whose {@code toString()} never shows a secret), and target checks.
 */
package dev.portcullis.policy.connection;
