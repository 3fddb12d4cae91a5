package dev.portcullis.recording;

/** The names of session events, {@code resource.verb} as in the audit log. */
public final class EventTypes {

    /** A session opened: who, where, through which proxy node. */
    public static final String SESSION_START = "session.start";

    /** A request as the caller sent it, credentials removed. */
    public static final String HTTP_REQUEST = "http.request";

    /** The policy's verdict on the request before it. */
    public static final String POLICY_DECISION = "policy.decision";

    /** A review was opened for the request before it. */
    public static final String REVIEW_OPENED = "review.opened";

    /** The review of the request before it was decided (or consumed by a retry). */
    public static final String REVIEW_DECIDED = "review.decided";

    /** The response as the caller received it, after masking. */
    public static final String HTTP_RESPONSE = "http.response";

    /** The request failed; the caller got an error. */
    public static final String ERROR = "error";

    /** The session closed: idle timeout, revocation or close. */
    public static final String SESSION_END = "session.end";

    private EventTypes() {}
}
