package dev.portcullis.controlplane.sessions;

import dev.portcullis.controlplane.system.ApiException;
import dev.portcullis.controlplane.system.PageView;
import dev.portcullis.recording.ChainVerifier;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/sessions")
class SessionController {

    private static final Set<String> VERDICTS = Set.of("ALLOW", "BLOCK", "REVIEW");

    private final Sessions sessions;

    SessionController(Sessions sessions) {
        this.sessions = sessions;
    }

    /** The body of {@code PUT …/legal-hold}. */
    record LegalHold(Boolean legalHold) {}

    @GetMapping
    PageView<SessionView> search(
            @RequestParam(required = false) String subject,
            @RequestParam(required = false) String connection,
            @RequestParam(required = false) String verdict,
            @RequestParam(required = false) Instant from,
            @RequestParam(required = false) Instant to,
            @RequestParam(required = false) String q,
            @RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
        if (verdict != null && !verdict.isBlank() && !VERDICTS.contains(verdict)) {
            throw new ApiException.Invalid("verdict", "must be ALLOW, BLOCK or REVIEW");
        }
        return sessions.search(
                new SessionQuery(
                        blankToNull(subject), blankToNull(connection), blankToNull(verdict), from, to, blankToNull(q)),
                page,
                size);
    }

    @GetMapping("/{id}")
    SessionView get(@PathVariable String id) {
        return sessions.get(uuid(id));
    }

    @GetMapping("/{id}/events")
    EventPage events(
            @PathVariable String id,
            @RequestParam(defaultValue = "0") @Min(0) long afterSeq,
            @RequestParam(defaultValue = "500") @Min(1) @Max(5000) int limit) {
        return sessions.events(uuid(id), afterSeq, limit);
    }

    @GetMapping("/{id}/verify")
    ChainVerifier.Result verify(@PathVariable String id) {
        return sessions.verify(uuid(id));
    }

    @PutMapping("/{id}/legal-hold")
    SessionView legalHold(@PathVariable String id, @RequestBody LegalHold body) {
        if (body == null || body.legalHold() == null) {
            throw new ApiException.Invalid("legalHold", "must be true or false");
        }
        return sessions.setLegalHold(uuid(id), body.legalHold());
    }

    /** A malformed id names no session: 404, as for any other unknown one. */
    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ApiException.NotFound("Session", id);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
