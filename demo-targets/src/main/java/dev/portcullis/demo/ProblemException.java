package dev.portcullis.demo;

import java.util.Map;

/** Ends a request with a problem response; thrown anywhere in the handler, answered in one place. */
final class ProblemException extends RuntimeException {

    private final transient Problem problem;

    private final transient Map<String, String> headers;

    private ProblemException(int status, String detail, Map<String, String> headers) {
        super(detail, null, false, false);
        this.problem = Problem.of(status, detail);
        this.headers = Map.copyOf(headers);
    }

    static ProblemException badRequest(String detail) {
        return new ProblemException(400, detail, Map.of());
    }

    /**
     * A refused or missing token. RFC 6750 asks for {@code error="invalid_token"} only when a token was presented,
     * so a client can tell "you sent none" from "yours is wrong".
     */
    static ProblemException unauthorized(String detail, boolean tokenPresented) {
        String challenge =
                tokenPresented ? "Bearer realm=\"demo-api\", error=\"invalid_token\"" : "Bearer realm=\"demo-api\"";
        return new ProblemException(401, detail, Map.of("WWW-Authenticate", challenge));
    }

    static ProblemException notFound(String detail) {
        return new ProblemException(404, detail, Map.of());
    }

    static ProblemException methodNotAllowed(String method, String path, String allow) {
        return new ProblemException(405, method + " is not supported on " + path, Map.of("Allow", allow));
    }

    /** The rest of the body may still be on the wire, so the connection is not reused. */
    static ProblemException contentTooLarge(String detail) {
        return new ProblemException(413, detail, Map.of("Connection", "close"));
    }

    Problem problem() {
        return problem;
    }

    Map<String, String> headers() {
        return headers;
    }
}
