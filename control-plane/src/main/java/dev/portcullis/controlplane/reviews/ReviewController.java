package dev.portcullis.controlplane.reviews;

import dev.portcullis.controlplane.identity.Roles;
import dev.portcullis.controlplane.system.ApiException;
import dev.portcullis.controlplane.system.PageView;
import jakarta.validation.Valid;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Reviews as approvers see them: the list, one review, and their decision with an optional comment. */
@RestController
@RequestMapping("/api/v1/reviews")
class ReviewController {

    static final int MAX_PAGE_SIZE = 200;

    private final Reviews reviews;

    private final Roles roles;

    ReviewController(Reviews reviews, Roles roles) {
        this.reviews = reviews;
        this.roles = roles;
    }

    @GetMapping
    PageView<ReviewView> list(
            @RequestParam(required = false) ReviewStatus status,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        if (page < 0) {
            throw new ApiException.Invalid("page", "must be 0 or more");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new ApiException.Invalid("size", "must be between 1 and " + MAX_PAGE_SIZE);
        }
        return PageView.of(reviews.list(status, page, size));
    }

    @GetMapping("/{id}")
    ReviewView get(@PathVariable UUID id) {
        return reviews.get(id);
    }

    @PostMapping("/{id}/approve")
    ReviewView approve(
            @PathVariable UUID id,
            @Valid @RequestBody(required = false) ReviewRequests.Comment body,
            @AuthenticationPrincipal Jwt caller) {
        return decide(id, ReviewDecision.APPROVE, body, caller);
    }

    @PostMapping("/{id}/deny")
    ReviewView deny(
            @PathVariable UUID id,
            @Valid @RequestBody(required = false) ReviewRequests.Comment body,
            @AuthenticationPrincipal Jwt caller) {
        return decide(id, ReviewDecision.DENY, body, caller);
    }

    private ReviewView decide(UUID id, ReviewDecision decision, ReviewRequests.Comment body, Jwt caller) {
        String comment = body == null ? null : body.comment();
        return reviews.decide(id, decision, comment, caller.getSubject(), roles.groupsOf(caller));
    }
}
