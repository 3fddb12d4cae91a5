package dev.portcullis.controlplane.reviews;

/**
 * Something happened to a review that people outside should hear of. Published inside the transaction of the change
 * and delivered only after it commits.
 *
 * @param event {@value #OPENED}, {@value #DECIDED} or {@value #EXPIRED}
 */
record ReviewEvent(String event, ReviewView review) {

    static final String OPENED = "review.opened";

    static final String DECIDED = "review.decided";

    static final String EXPIRED = "review.expired";
}
