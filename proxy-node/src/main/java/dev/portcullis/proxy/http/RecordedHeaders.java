package dev.portcullis.proxy.http;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Headers as a session records them: names in lower case, each with its value or, when repeated, the list of its values
 * in order; credentials ({@link #SECRET_HEADERS}) replaced by {@code [redacted]}, never recorded;
 * U+0000 replaced, since an event's strings cannot hold it.
 *
 * <p>On Reactor Netty the headers are read from the connection's own header block in one pass. Spring's view of them
 * reads the same block but builds a set of names and looks each one up again, which cost more than the rest of the
 * request's recording. The two give the same map (see the tests); the request is recorded before any filter changes
 * its headers, and the response once it is written, so the block is what the caller sent, or received. The map is
 * sorted by name as it is built, which the event's canonical form then need not do.
 */
final class RecordedHeaders {

    /** Headers that carry credentials: never recorded. */
    static final Set<String> SECRET_HEADERS =
            Set.of("authorization", "proxy-authorization", "cookie", "x-api-key", "x-auth-token");

    static final String REDACTED = "[redacted]";

    private RecordedHeaders() {}

    /** The request's headers as the caller sent them. */
    static Map<String, Object> of(ServerHttpRequest request) {
        try {
            if (ServerHttpRequestDecorator.getNativeRequest(request) instanceof HttpServerRequest wire) {
                return of(wire.requestHeaders());
            }
        } catch (IllegalArgumentException | IllegalStateException notNativelyBacked) {
            // recorded through Spring's view below
        }
        return of(request.getHeaders());
    }

    /** The response's headers as the caller receives them. */
    static Map<String, Object> of(ServerHttpResponse response) {
        try {
            if (ServerHttpResponseDecorator.getNativeResponse(response) instanceof HttpServerResponse wire) {
                return of(wire.responseHeaders());
            }
        } catch (IllegalArgumentException | IllegalStateException notNativelyBacked) {
            // recorded through Spring's view below
        }
        return of(response.getHeaders());
    }

    /** Headers given through Spring's view. */
    static Map<String, Object> of(HttpHeaders headers) {
        Map<String, Object> recorded = new TreeMap<>();
        headers.forEach((name, values) -> {
            for (String value : values) {
                add(recorded, name, value);
            }
        });
        return recorded;
    }

    /** Headers as Netty holds them, read in one pass. */
    static Map<String, Object> of(io.netty.handler.codec.http.HttpHeaders headers) {
        Map<String, Object> recorded = new TreeMap<>();
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            add(recorded, header.getKey().toString(), header.getValue().toString());
        }
        return recorded;
    }

    @SuppressWarnings("unchecked")
    private static void add(Map<String, Object> recorded, String name, String value) {
        String lower = name.toLowerCase(Locale.ROOT);
        String kept = SECRET_HEADERS.contains(lower) ? REDACTED : value.replace('\0', '\uFFFD');
        Object before = recorded.putIfAbsent(lower, kept);
        if (before == null) {
            return;
        }
        List<String> values;
        if (before instanceof List<?> list) {
            values = (List<String>) list;
        } else {
            values = new ArrayList<>(2);
            values.add((String) before);
            recorded.put(lower, values);
        }
        values.add(kept);
    }
}
