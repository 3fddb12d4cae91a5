package dev.portcullis.controlplane.reviews;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

/**
 * What a proxy sends to open a review for a command it holds.
 *
 * @param groups the requester's groups
 * @param commandHash what a retry must match: SHA-256 over the request or the SQL text, computed by the proxy
 * @param approvals how many distinct people must approve
 * @param sessionId the session the command belongs to, if any
 * @param proxyNode the proxy node holding the request (see {@code /orphan})
 */
public record OpenReviewRequest(
        @NotBlank @Size(max = 63) String connection,
        @NotBlank @Size(max = 255) String subject,
        List<@NotBlank @Size(max = 255) String> groups,
        @Size(max = 255) String clientId,
        @NotNull String command,
        @NotBlank @Size(max = 64) String commandHash,
        @NotBlank @Size(max = 63) String rule,
        @Size(max = 63) String policy,
        @NotEmpty List<@NotBlank @Size(max = 255) String> approverGroups,
        @NotNull @Min(1) @Max(100) Integer approvals,
        UUID sessionId,
        @Size(max = 255) String proxyNode) {

    /** The longest command text a review holds, in UTF-8 bytes. */
    public static final int MAX_COMMAND_BYTES = 64 * 1024;
}
