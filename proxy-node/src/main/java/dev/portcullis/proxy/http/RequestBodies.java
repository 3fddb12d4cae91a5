package dev.portcullis.proxy.http;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads a request body once, up to a limit, so that recording and reviews can see it, and hands the target the same
 * bytes. Requests without a body (no {@code Content-Length} and no {@code Transfer-Encoding}) cost nothing.
 */
final class RequestBodies {

    static final byte[] NONE = new byte[0];

    /** The body was longer than the limit. */
    static final class TooLargeException extends RuntimeException {

        TooLargeException() {
            super(null, null, false, false);
        }
    }

    private RequestBodies() {}

    /** Whether the request says it carries a body. */
    static boolean hasBody(ServerHttpRequest request) {
        long length = request.getHeaders().getContentLength();
        return length > 0
                || (length < 0 && request.getHeaders().containsHeader("Transfer-Encoding"))
                || (length < 0 && HttpMethod.TRACE.equals(request.getMethod()));
    }

    /**
     * Whether the body is in {@link Exchanges.State#requestBody} without reading anything: read already, or there is
     * none (then it is set to {@link #NONE}). A filter can then go on without a reactive step.
     */
    static boolean atHand(ServerWebExchange exchange) {
        Exchanges.State state = Exchanges.state(exchange);
        if (state.requestBody != null) {
            return true;
        }
        if (!hasBody(exchange.getRequest())) {
            state.requestBody = NONE;
            return true;
        }
        return false;
    }

    /**
     * The exchange with its body read and replayable, and the bytes in {@link Exchanges.State#requestBody}; an exchange
     * already read is returned as it is.
     *
     * @throws TooLargeException (as the Mono's error) when the body is over {@code limit}
     */
    static Mono<ServerWebExchange> cache(ServerWebExchange exchange, long limit) {
        if (atHand(exchange)) {
            return Mono.just(exchange);
        }
        Exchanges.State state = Exchanges.state(exchange);
        return DataBufferUtils.join(exchange.getRequest().getBody(), (int) Math.min(Integer.MAX_VALUE, limit))
                .map(joined -> {
                    byte[] bytes = new byte[joined.readableByteCount()];
                    joined.read(bytes);
                    DataBufferUtils.release(joined);
                    return bytes;
                })
                .defaultIfEmpty(NONE)
                .onErrorMap(DataBufferLimitException.class, e -> new TooLargeException())
                .map(bytes -> {
                    state.requestBody = bytes;
                    ServerHttpRequest replay = new ServerHttpRequestDecorator(exchange.getRequest()) {
                        @Override
                        public Flux<DataBuffer> getBody() {
                            return bytes.length == 0
                                    ? Flux.empty()
                                    : Flux.defer(() -> Flux.just(exchange.getResponse()
                                            .bufferFactory()
                                            .wrap(bytes)));
                        }
                    };
                    return exchange.mutate().request(replay).build();
                });
    }
}
