package dev.portcullis.controlplane.sessions;

import java.util.Map;

/**
 * One stored event of a session.
 *
 * @param seq its sequence number
 * @param type its type ({@code session.start}, {@code http.request}, …)
 * @param at when it happened, ISO-8601 in UTC with microseconds
 * @param atMicros the same, in microseconds since the epoch (what the hash covers)
 * @param payload what happened
 * @param prevHash the previous event's hash
 * @param hash this event's hash
 */
public record EventView(
        long seq, String type, String at, long atMicros, Map<String, Object> payload, String prevHash, String hash) {}
