package dev.portcullis.controlplane.sessions;

import java.util.List;
import java.util.UUID;

/**
 * The answer to a batch of events from a proxy node.
 *
 * @param accepted events stored by this batch
 * @param duplicates events already stored with the same hash (a re-delivery), not stored again
 * @param broken sessions in which this batch found a fault (a gap, a bad link or hash, a conflicting re-delivery, a
 *     missing start); their events are stored all the same
 */
public record IngestResult(int accepted, int duplicates, List<UUID> broken) {}
