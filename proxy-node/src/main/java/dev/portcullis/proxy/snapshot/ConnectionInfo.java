package dev.portcullis.proxy.snapshot;

import dev.portcullis.policy.connection.ConnectionType;
import java.util.Set;

/** A connection as the proxy enforces it: where it goes and who may use it (never its credential). */
public record ConnectionInfo(
        String name, ConnectionType type, String target, Set<String> allowedGroups, Set<String> tags) {}
