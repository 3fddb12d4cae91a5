package dev.portcullis.proxy.system;

import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;

/**
 * The one place the enforcement filters' order is declared: authenticate → record the request → decide → review hold
 * → credential → mask. Gaps leave room for filters still to come without renumbering.
 *
 * <p>Response decorators must sit before {@link NettyWriteResponseFilter} (which writes through the response it saw),
 * and the one installed first sees the body last: the recorder's decorator goes on before masking's, so that a
 * session records the response as the caller received it, masked. Both read what the request filters decided lazily,
 * when the body arrives. The credential filter sets the target URL, so it runs after {@link RouteToRequestUrlFilter}
 * has set the route's placeholder.
 */
public final class FilterOrder {

    /** Installs the masking response decorator. */
    public static final int MASK = NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER - 10;

    /** Installs the decorator that records the response as the caller receives it: outside masking. */
    public static final int RECORD_RESPONSE = MASK - 10;

    /** Who is calling: a valid, unrevoked token. */
    public static final int AUTHENTICATE = RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER + 100;

    /** Opens (or continues) the caller's session and records the request. */
    public static final int RECORD_REQUEST = AUTHENTICATE + 50;

    /** What the policy says. */
    public static final int DECIDE = AUTHENTICATE + 100;

    /** Held for a human's approval (reviews). */
    public static final int REVIEW = DECIDE + 100;

    /** The connection's credential in place of the caller's token, and the target URL. */
    public static final int CREDENTIAL = REVIEW + 100;

    private FilterOrder() {}
}
