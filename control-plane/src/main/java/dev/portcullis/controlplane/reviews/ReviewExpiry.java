package dev.portcullis.controlplane.reviews;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Expires undecided reviews on a schedule ({@code portcullis.review.expiry-interval}); one instance at a time. */
@Component
class ReviewExpiry {

    private static final Logger log = LoggerFactory.getLogger(ReviewExpiry.class);

    private final Reviews reviews;

    ReviewExpiry(Reviews reviews) {
        this.reviews = reviews;
    }

    @Scheduled(
            initialDelayString = "${portcullis.review.expiry-interval:10s}",
            fixedDelayString = "${portcullis.review.expiry-interval:10s}")
    void expire() {
        try {
            reviews.expireDue();
        } catch (RuntimeException e) {
            log.warn("Review expiry failed; trying again at the next run: {}", e.toString());
        }
    }
}
