package dev.portcullis.controlplane.sessions;

import java.time.Instant;

/**
 * What an auditor searches sessions by; every part is optional.
 *
 * @param subject exactly this subject
 * @param connection exactly this connection
 * @param verdict sessions with at least one such decision: {@code ALLOW}, {@code BLOCK} or {@code REVIEW}
 * @param from started at or after
 * @param to started before
 * @param words words that must all occur in the commands of one event
 */
public record SessionQuery(String subject, String connection, String verdict, Instant from, Instant to, String words) {}
