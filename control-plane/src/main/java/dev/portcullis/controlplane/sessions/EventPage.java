package dev.portcullis.controlplane.sessions;

import java.util.List;

/**
 * A run of a session's events in sequence order.
 *
 * @param items the events
 * @param nextAfterSeq the {@code afterSeq} that reads the next run, {@code null} when there is none
 */
public record EventPage(List<EventView> items, Long nextAfterSeq) {}
