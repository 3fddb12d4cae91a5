package dev.portcullis.controlplane.reviews;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/** The small request bodies of the review endpoints. */
final class ReviewRequests {

    private ReviewRequests() {}

    /** An approver's optional comment. */
    record Comment(@Size(max = 4096) String comment) {}

    /** A proxy asks to use an approval for a retried command. */
    record Consume(
            @NotBlank String subject,
            @NotBlank String connection,
            @NotBlank String commandHash) {}

    /** A proxy, at start-up, gives up the requests it held before {@code before}. */
    record Orphan(@NotBlank String proxyNode, @NotNull Instant before) {}
}
