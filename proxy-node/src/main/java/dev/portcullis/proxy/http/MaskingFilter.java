package dev.portcullis.proxy.http;

import dev.portcullis.policy.eval.Verdict;
import dev.portcullis.policy.masking.BodyTooLargeException;
import dev.portcullis.policy.masking.MalformedBodyException;
import dev.portcullis.policy.masking.MaskResult;
import dev.portcullis.policy.masking.Masker;
import dev.portcullis.proxy.snapshot.CompiledSnapshot;
import dev.portcullis.proxy.system.FilterOrder;
import dev.portcullis.proxy.system.Problems;
import dev.portcullis.proxy.system.ProxyProperties;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Masks what comes back. When the decision carries masking rules, a JSON or text body is read up to
 * {@code portcullis.proxy.max-masked-body}, masked by the policy engine's masker and sent on; a body that cannot be
 * masked — over the limit, malformed JSON, compressed, or of a type masking cannot read — is refused with 502 and
 * never passed through unmasked. Bodies with no masking rule stream through untouched.
 */
@Component
class MaskingFilter implements GlobalFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(MaskingFilter.class);

    /** Bodies up to this size are masked right on the event loop: moving them costs more than masking them. */
    static final int INLINE_MASKING_BYTES = 64 * 1024;

    /** A masked body, or why there is none. */
    private record Masked(byte[] bytes, String problem) {}

    private final boolean enabled;

    private final long limit;

    MaskingFilter(ProxyProperties properties) {
        this.enabled = properties.filters().mask();
        this.limit = properties.maxMaskedBody().toBytes();
    }

    @Override
    public int getOrder() {
        return FilterOrder.MASK;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        if (!enabled || HttpMethod.HEAD.equals(exchange.getRequest().getMethod())) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange.mutate().response(new Decorator(exchange)).build());
    }

    private final class Decorator extends ServerHttpResponseDecorator {

        private final ServerWebExchange exchange;

        Decorator(ServerWebExchange exchange) {
            super(exchange.getResponse());
            this.exchange = exchange;
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            // The decision is made after this decorator is installed: read it now that the body is here.
            Verdict verdict = Exchanges.verdict(exchange);
            CompiledSnapshot snapshot = Exchanges.snapshot(exchange);
            List<dev.portcullis.policy.MaskingRule> rules = masking(verdict);
            if (rules.isEmpty() || snapshot == null) {
                return super.writeWith(body);
            }
            Masker masker = snapshot.masker(rules);
            if (masker.isNoop()) {
                return super.writeWith(body);
            }
            HttpHeaders headers = getHeaders();
            String encoding = headers.getFirst(HttpHeaders.CONTENT_ENCODING);
            if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
                return refuse(body, "The target sent a compressed (" + encoding + ") body that masking cannot read");
            }
            MediaType type = headers.getContentType();
            boolean json = type != null
                    && (MediaType.APPLICATION_JSON.isCompatibleWith(type)
                            || type.getSubtype().endsWith("+json"));
            boolean text = type != null && "text".equals(type.getType());
            if (!json && !text) {
                if (type == null) {
                    // No type is fine when there is no body (204, an empty 200): look before refusing.
                    return DataBufferUtils.join(body, 1)
                            .doOnDiscard(DataBuffer.class, DataBufferUtils::release)
                            .flatMap(some -> {
                                DataBufferUtils.release(some);
                                return problem("The target sent a body without a content type, which masking cannot"
                                        + " read");
                            })
                            .onErrorResume(
                                    DataBufferLimitException.class,
                                    e -> problem("The target sent a body without a content type, which masking"
                                            + " cannot read"))
                            .switchIfEmpty(Mono.defer(() -> getDelegate().writeWith(Flux.empty())));
                }
                return refuse(body, "The target sent a body of type " + type + " that masking cannot read");
            }
            Charset charset = type.getCharset() != null ? type.getCharset() : StandardCharsets.UTF_8;
            return DataBufferUtils.join(body, (int) Math.min(Integer.MAX_VALUE, limit))
                    // A response cancelled before masking ran must still give its buffer back.
                    .doOnDiscard(DataBuffer.class, DataBufferUtils::release)
                    .flatMap(joined -> {
                        Mono<Masked> masking = Mono.fromCallable(() -> mask(masker, joined, json, charset));
                        // Masking is CPU work, not I/O; a large body moves off the event loop so that other
                        // connections on it are not stalled meanwhile.
                        return joined.readableByteCount() > INLINE_MASKING_BYTES
                                ? masking.subscribeOn(Schedulers.parallel())
                                : masking;
                    })
                    .flatMap(masked -> {
                        if (masked.problem() != null) {
                            return problem(masked.problem());
                        }
                        headers.setContentLength(masked.bytes().length);
                        Integer replaced = Exchanges.state(exchange).maskedValues;
                        if (replaced != null && replaced > 0) {
                            // The target's validators name a body the caller did not get: a cache must not match
                            // the masked body with the original.
                            headers.remove(HttpHeaders.ETAG);
                            headers.remove("Content-MD5");
                        }
                        return getDelegate().writeWith(Mono.just(bufferFactory().wrap(masked.bytes())));
                    })
                    .onErrorResume(DataBufferLimitException.class, e -> problem(tooLarge()))
                    .switchIfEmpty(Mono.defer(() -> getDelegate().writeWith(Flux.empty())));
        }

        private Masked mask(Masker masker, DataBuffer joined, boolean json, Charset charset) {
            try (InputStream in = joined.asInputStream(true)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(joined.readableByteCount() + 64);
                MaskResult result = json ? masker.maskJson(in, out, limit) : masker.maskText(in, out, limit, charset);
                Exchanges.state(exchange).maskedValues = result.valuesMasked();
                return new Masked(out.toByteArray(), null);
            } catch (MalformedBodyException e) {
                return new Masked(null, "The target's JSON body is malformed, so it cannot be masked");
            } catch (BodyTooLargeException e) {
                return new Masked(null, tooLarge());
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                return new Masked(null, "The target's body could not be read");
            }
        }

        @Override
        public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
            return writeWith(Flux.from(body).flatMapSequential(p -> p));
        }

        private String tooLarge() {
            return "The target's body is larger than the " + limit + " bytes masking may hold"
                    + " (portcullis.proxy.max-masked-body); it was not passed through unmasked";
        }

        private Mono<Void> refuse(Publisher<? extends DataBuffer> body, String detail) {
            // Drain and release what the target sent; none of it reaches the caller.
            return Flux.from(body).doOnNext(DataBufferUtils::release).then(problem(detail));
        }

        private Mono<Void> problem(String detail) {
            log.warn("Masking refused a response: connection={} detail={}", Exchanges.connectionName(exchange), detail);
            ServerHttpResponse response = getDelegate();
            response.getHeaders().clear();
            return Problems.write(response, HttpStatus.BAD_GATEWAY, detail, Map.of());
        }
    }

    private static List<dev.portcullis.policy.MaskingRule> masking(Verdict verdict) {
        if (verdict instanceof Verdict.Allow allow) {
            return allow.masking();
        }
        if (verdict instanceof Verdict.Review review) {
            return review.masking();
        }
        return List.of();
    }
}
