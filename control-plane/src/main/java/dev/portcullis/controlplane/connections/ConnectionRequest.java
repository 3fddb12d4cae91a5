package dev.portcullis.controlplane.connections;

import java.util.List;
import java.util.Map;

/**
 * A connection as written through the API. {@code credential} is write-only: it is encrypted on arrival and no
 * response ever carries it; on update, leaving it out keeps the stored credential.
 */
public record ConnectionRequest(
        String name,
        String type,
        String target,
        String description,
        Map<String, Object> credential,
        List<String> allowedGroups,
        List<String> tags) {

    @Override
    public String toString() {
        return "ConnectionRequest[name=" + name + ", type=" + type + ", target=" + target + ", credential="
                + (credential == null ? "null" : "***") + ", allowedGroups=" + allowedGroups + ", tags=" + tags + "]";
    }
}
