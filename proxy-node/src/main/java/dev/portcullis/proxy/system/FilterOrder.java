package dev.portcullis.proxy.system;

import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;

/**
 * The one place the enforcement filters' order is declared: authenticate → decide → [review hold] → credential →
 * [record] → mask. Gaps leave room for the filters still to come without renumbering.
 *
 * <p>Masking decorates the response, so it must sit before {@link NettyWriteResponseFilter} (which writes through the
 * response it saw); it reads the decision lazily, when the target's body arrives. The credential filter sets the
 * target URL, so it runs after {@link RouteToRequestUrlFilter} has set the route's placeholder.
 */
public final class FilterOrder {

    /** Installs the masking response decorator. */
    public static final int MASK = NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER - 10;

    /** Who is calling: a valid, unrevoked token. */
    public static final int AUTHENTICATE = RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER + 100;

    /** What the policy says. */
    public static final int DECIDE = AUTHENTICATE + 100;

    /** Held for a human's approval (reviews). */
    public static final int REVIEW = DECIDE + 100;

    /** The connection's credential in place of the caller's token, and the target URL. */
    public static final int CREDENTIAL = REVIEW + 100;

    /** The session recording. */
    public static final int RECORD = CREDENTIAL + 100;

    private FilterOrder() {}
}
