package dev.portcullis.controlplane.proxies;

import java.time.Instant;

/** What a proxy node reports every few seconds. */
public record Heartbeat(String id, String version, String address, Long snapshotVersion, Instant startedAt) {}
