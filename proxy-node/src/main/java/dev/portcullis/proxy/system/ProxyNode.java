package dev.portcullis.proxy.system;

import java.time.Instant;

/**
 * This proxy node as the fleet knows it: the name it reports in heartbeats, reviews and session events, its version,
 * and when this process started (reviews opened before then by a node of the same name were held by an earlier
 * process, so their requests are gone).
 *
 * @param id the node's name ({@code portcullis.proxy.node-id}, else host name and port)
 * @param version the proxy's version
 * @param startedAt when this process started
 */
public record ProxyNode(String id, String version, Instant startedAt) {}
