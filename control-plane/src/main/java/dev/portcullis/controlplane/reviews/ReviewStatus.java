package dev.portcullis.controlplane.reviews;

/** Where a review stands. Only {@link #PENDING} can change, and only once. */
public enum ReviewStatus {
    PENDING,
    APPROVED,
    DENIED,
    EXPIRED
}
