package dev.portcullis.controlplane.system;

import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * The control plane's refusals, each mapped to one HTTP status and rendered as an RFC 9457 problem detail by
 * {@link ApiExceptionHandler}. Messages are shown to the caller: they never carry a secret.
 */
public abstract sealed class ApiException extends RuntimeException
        permits ApiException.NotFound,
                ApiException.Conflict,
                ApiException.Invalid,
                ApiException.Forbidden,
                ApiException.TooLarge {

    private final HttpStatus status;

    private ApiException(HttpStatus status, String message) {
        super(message);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }

    /** A short title for the problem detail. */
    public abstract String title();

    /** One thing wrong with a request: where ({@code path}, and for documents the line) and what. */
    public record Problem(String path, Integer line, Integer column, String message) {}

    /** The named resource does not exist. */
    public static final class NotFound extends ApiException {

        public NotFound(String resourceType, String name) {
            super(HttpStatus.NOT_FOUND, resourceType + " '" + name + "' does not exist");
        }

        /** Not found, said in the caller's own words (for what has no name, such as a search). */
        public NotFound(String message) {
            super(HttpStatus.NOT_FOUND, message);
        }

        @Override
        public String title() {
            return "Not found";
        }
    }

    /** The caller's role allows the endpoint, but not this action on this resource (say why in the message). */
    public static final class Forbidden extends ApiException {

        public Forbidden(String message) {
            super(HttpStatus.FORBIDDEN, message);
        }

        @Override
        public String title() {
            return "Forbidden";
        }
    }

    /** The request clashes with what exists (a duplicate name, a concurrent change). */
    public static final class Conflict extends ApiException {

        public Conflict(String message) {
            super(HttpStatus.CONFLICT, message);
        }

        @Override
        public String title() {
            return "Conflict";
        }
    }

    /** The request is malformed or invalid; {@link #problems()} names each fault. */
    public static final class Invalid extends ApiException {

        private final List<Problem> problems;

        public Invalid(String message, List<Problem> problems) {
            super(HttpStatus.BAD_REQUEST, message);
            this.problems = List.copyOf(problems);
        }

        public Invalid(String path, String message) {
            this(message, List.of(new Problem(path, null, null, message)));
        }

        public List<Problem> problems() {
            return problems;
        }

        @Override
        public String title() {
            return "Invalid request";
        }
    }

    /** The request carries more than the control plane takes at once. */
    public static final class TooLarge extends ApiException {

        public TooLarge(String message) {
            super(HttpStatus.CONTENT_TOO_LARGE, message);
        }

        @Override
        public String title() {
            return "Content too large";
        }
    }
}
