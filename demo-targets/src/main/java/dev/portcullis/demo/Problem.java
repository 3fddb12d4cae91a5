package dev.portcullis.demo;

/**
 * An RFC 9457 problem detail. The type is {@code about:blank}, so the title is the status's reason phrase and the
 * detail says what went wrong with this request.
 */
record Problem(String type, String title, int status, String detail) {

    static final String MEDIA_TYPE = "application/problem+json";

    static Problem of(int status, String detail) {
        return new Problem("about:blank", reasonPhrase(status), status, detail);
    }

    static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 413 -> "Content Too Large";
            case 500 -> "Internal Server Error";
            default -> "Error";
        };
    }
}
