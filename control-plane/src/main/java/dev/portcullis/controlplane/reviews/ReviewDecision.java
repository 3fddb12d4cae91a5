package dev.portcullis.controlplane.reviews;

/** What one approver said about a review. */
public enum ReviewDecision {
    APPROVE,
    DENY
}
