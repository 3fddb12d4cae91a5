package dev.portcullis.proxy.system;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Refusals as RFC 9457 problem details, the proxy's only way of saying no over HTTP. */
public final class Problems {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Problems() {}

    /** Writes a problem and completes the exchange; {@code extra} adds members such as {@code rule}. */
    public static Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String detail, Map<String, ?> extra) {
        return write(exchange.getResponse(), status, detail, extra);
    }

    /** Writes a problem on a response that has not been committed. */
    public static Mono<Void> write(
            ServerHttpResponse response, HttpStatus status, String detail, Map<String, ?> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", detail);
        if (extra != null) {
            extra.forEach((k, v) -> {
                if (v != null) {
                    body.put(k, v);
                }
            });
        }
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        response.setStatusCode(status);
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        headers.setContentLength(bytes.length);
        headers.remove(HttpHeaders.CONTENT_ENCODING);
        DataBuffer buffer = response.bufferFactory().wrap(bytes);
        return response.writeWith(Mono.just(buffer));
    }

    /** A problem with no extra members. */
    public static Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String detail) {
        return write(exchange, status, detail, null);
    }
}
