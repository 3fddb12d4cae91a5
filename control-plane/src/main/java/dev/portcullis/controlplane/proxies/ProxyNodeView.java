package dev.portcullis.controlplane.proxies;

import java.time.Instant;

/** A proxy node as the fleet view shows it: when it last called in and which snapshot it enforces. */
public record ProxyNodeView(
        String id, String version, String address, Long snapshotVersion, Instant startedAt, Instant lastHeartbeatAt) {}
