package dev.portcullis.controlplane.identity;

import java.util.List;

/**
 * A new service account: its name (also its OAuth2 client id and its tokens' subject), groups, and token lifetime
 * in seconds (default {@code portcullis.oidc.agent-token-ttl}, capped at {@code portcullis.oidc.max-token-ttl}).
 */
public record ServiceAccountRequest(String name, String description, List<String> groups, Long tokenTtlSeconds) {}
