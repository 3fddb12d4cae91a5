package dev.portcullis.controlplane.reviews;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A review as the API shows it, to proxies and to people alike.
 *
 * @param groups the requester's groups when the review was opened
 * @param commandHash what a retry of the command must match to use the approval
 * @param rule the rule that asked for the review; {@code policy} the policy holding it
 * @param decisions every person's decision, oldest first
 * @param decidedAt when the review was approved or denied (null while pending and for an expired review)
 * @param validUntil until when an approved command may be sent again, once
 * @param consumedAt when that one retry used the approval
 * @param orphaned whether the proxy that held the request restarted: the review stays decidable, the request is gone
 * @param url the review's page in the console
 */
public record ReviewView(
        UUID id,
        ReviewStatus status,
        String connection,
        String subject,
        List<String> groups,
        String clientId,
        String command,
        String commandHash,
        String rule,
        String policy,
        List<String> approverGroups,
        int approvalsRequired,
        List<Decision> decisions,
        Instant createdAt,
        Instant expiresAt,
        Instant decidedAt,
        Instant validUntil,
        Instant consumedAt,
        boolean orphaned,
        UUID sessionId,
        String proxyNode,
        String url) {

    /** One person's decision. */
    public record Decision(String by, ReviewDecision decision, String comment, Instant at) {}
}
