package dev.portcullis.proxy.http;

import dev.portcullis.proxy.system.FilterOrder;
import dev.portcullis.proxy.system.ProxyProperties;
import dev.portcullis.recording.BodyCapture;
import dev.portcullis.recording.EventTypes;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Publisher;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Records the response as the caller receives it — after masking, since this decorator sits outside masking's — with
 * the first {@code portcullis.proxy.recording.body-cap} bytes of the body, copied as they stream past, and the body's
 * full size. An exchange that fails before a response is written is recorded as an {@code error} event. Exchanges
 * without a session (refused before the caller was known) record nothing.
 */
@Component
class ResponseRecordingFilter implements GlobalFilter, Ordered {

    private final boolean enabled;

    private final int bodyCap;

    ResponseRecordingFilter(ProxyProperties properties) {
        this.enabled = properties.recording().enabled();
        this.bodyCap = (int)
                Math.min(Integer.MAX_VALUE, properties.recording().bodyCap().toBytes());
    }

    @Override
    public int getOrder() {
        return FilterOrder.RECORD_RESPONSE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        if (!enabled) {
            return chain.filter(exchange);
        }
        Recorder recorder = new Recorder(exchange, bodyCap);
        return chain.filter(exchange.mutate().response(recorder).build())
                .doOnError(recorder::failed)
                .doOnSuccess(done -> recorder.completedWithoutBody())
                .doOnCancel(() -> recorder.failed(new CancellationException("The caller went away")));
    }

    private static final class Recorder extends ServerHttpResponseDecorator {

        private final ServerWebExchange exchange;

        private final int cap;

        private final AtomicBoolean recorded = new AtomicBoolean();

        private byte[] captured = new byte[0];

        private int capturedLength;

        private long size;

        Recorder(ServerWebExchange exchange, int cap) {
            super(exchange.getResponse());
            this.exchange = exchange;
            this.cap = cap;
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            if (Exchanges.state(exchange).events == null) {
                return super.writeWith(body);
            }
            // A body that is one buffer (masking's, say) stays a Mono: the server then writes and flushes it at once,
            // where a Flux goes out as a stream with a flush of its own, twice the write system calls.
            Publisher<? extends DataBuffer> copying = body instanceof Mono<? extends DataBuffer> one
                    ? one.doOnNext(this::copy)
                    : Flux.from(body).doOnNext(this::copy);
            return super.writeWith(copying).doOnSuccess(done -> record(null)).doOnError(this::failed);
        }

        @Override
        public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
            return writeWith(Flux.from(body).flatMapSequential(p -> p));
        }

        private void copy(DataBuffer buffer) {
            int readable = buffer.readableByteCount();
            size += readable;
            int wanted = Math.min(readable, cap - capturedLength);
            if (wanted <= 0) {
                return;
            }
            if (captured.length < capturedLength + wanted) {
                captured =
                        Arrays.copyOf(captured, Math.max(capturedLength + wanted, Math.min(cap, captured.length * 2)));
            }
            try (DataBuffer.ByteBufferIterator it = buffer.readableByteBuffers()) {
                while (it.hasNext() && wanted > 0) {
                    ByteBuffer view = it.next();
                    int n = Math.min(wanted, view.remaining());
                    view.get(captured, capturedLength, n);
                    capturedLength += n;
                    wanted -= n;
                }
            }
        }

        void completedWithoutBody() {
            // setComplete() without a body (204, HEAD, redirects) never goes through writeWith.
            record(null);
        }

        void failed(Throwable error) {
            record(error);
        }

        private void record(Throwable error) {
            if (Exchanges.state(exchange).events == null || !recorded.compareAndSet(false, true)) {
                return;
            }
            Map<String, Object> payload = new LinkedHashMap<>();
            if (error != null && !isCommitted()) {
                payload.put("message", String.valueOf(error.getMessage()));
                payload.put("exception", error.getClass().getSimpleName());
                Exchanges.record(exchange, EventTypes.ERROR, payload);
                return;
            }
            HttpStatusCode status = getStatusCode();
            payload.put("status", status == null ? 200 : status.value());
            payload.put("headers", RecordedHeaders.of(this));
            Object masked = Exchanges.state(exchange).maskedValues;
            payload.put("masked", masked instanceof Integer n ? n : 0);
            BodyCapture.of(captured, capturedLength, size, cap).addTo(payload);
            if (error != null) {
                payload.put("error", String.valueOf(error.getMessage()));
            }
            Exchanges.record(exchange, EventTypes.HTTP_RESPONSE, payload);
        }
    }
}
