package dev.portcullis.demo;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URLDecoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.json.JsonMapper;

/** Every route of the API. One handler for all paths, so that authorization and errors are decided in one place. */
final class DemoApiHandler implements HttpHandler {

    static final int MAX_BODY_BYTES = 1024 * 1024;

    static final int MAX_LIMIT = 1000;

    static final String JSON_MEDIA_TYPE = "application/json; charset=utf-8";

    /**
     * How much of an oversized body is read and thrown away before answering 413, so that a client still sending it
     * gets the answer instead of a reset connection. Beyond this the connection is simply closed.
     */
    private static final long MAX_DISCARDED_BYTES = 16L * MAX_BODY_BYTES;

    private static final Pattern CUSTOMER_PATH = Pattern.compile("/customers/([^/]+)");

    private static final Pattern CUSTOMER_ID = Pattern.compile("[0-9]{1,18}");

    private static final Pattern LIMIT = Pattern.compile("[0-9]{1,9}");

    private static final Logger LOG = System.getLogger(DemoApiHandler.class.getName());

    private final JsonMapper json = JsonMapper.builder()
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .build();

    private final BearerToken token;

    private final CustomerStore customers;

    private final AtomicLong requests = new AtomicLong();

    DemoApiHandler(BearerToken token, CustomerStore customers) {
        this.token = token;
        this.customers = customers;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        requests.incrementAndGet();
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        int status = 0;
        try {
            status = send(exchange, route(exchange, method, path));
        } catch (ProblemException e) {
            status = send(exchange, problem(e));
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "request aborted method={0} path={1} error={2}", method, path, e.toString());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "request failed method=" + method + " path=" + path, e);
            status = send(exchange, problem(500, "The demo API failed to answer; see its log"));
        } finally {
            exchange.close();
        }
        // The path is logged, never the query, headers or body: they may hold the data the demo is about.
        LOG.log(
                Level.INFO,
                "request method={0} path={1} status={2} durationMs={3}",
                method,
                path,
                status,
                (System.nanoTime() - started) / 1_000_000);
    }

    CustomerStore customers() {
        return customers;
    }

    long requestCount() {
        return requests.get();
    }

    private Response route(HttpExchange exchange, String method, String path) throws IOException {
        if (!(method.equals("GET") && path.equals("/health"))) {
            authorize(exchange.getRequestHeaders());
        }
        if (path.equals("/health")) {
            allow(method, path, "GET");
            return ok(Map.of("status", "UP"));
        }
        if (path.equals("/customers")) {
            allow(method, path, "GET");
            return ok(customers.list(limit(exchange.getRequestURI().getRawQuery())));
        }
        Matcher customerPath = CUSTOMER_PATH.matcher(path);
        if (customerPath.matches()) {
            allow(method, path, "GET", "DELETE");
            long id = customerId(customerPath.group(1));
            if (method.equals("GET")) {
                return ok(customers.find(id).orElseThrow(() -> noCustomer(id)));
            }
            if (!customers.delete(id)) {
                throw noCustomer(id);
            }
            return Response.noContent();
        }
        if (path.equals("/admin/stats")) {
            allow(method, path, "GET");
            Map<String, Object> stats = new LinkedHashMap<>();
            stats.put("customers", customers.size());
            stats.put("deleted", customers.deletedCount());
            stats.put("requests", requests.get());
            return ok(stats);
        }
        if (path.equals("/echo")) {
            allow(method, path, "GET", "POST");
            return ok(echo(exchange, method, path));
        }
        throw ProblemException.notFound("There is nothing at " + path);
    }

    private void authorize(Headers headers) {
        List<String> values = headers.get("Authorization");
        if (values == null || values.isEmpty()) {
            throw ProblemException.unauthorized("This API requires a bearer token", false);
        }
        if (values.size() > 1) {
            throw ProblemException.unauthorized("Send one Authorization header, not " + values.size(), true);
        }
        String value = values.get(0);
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ProblemException.unauthorized("The Authorization header must use the Bearer scheme", false);
        }
        if (!token.matches(value.substring(7).strip())) {
            throw ProblemException.unauthorized("The bearer token is not valid", true);
        }
    }

    private static void allow(String method, String path, String... allowed) {
        for (String candidate : allowed) {
            if (candidate.equals(method)) {
                return;
            }
        }
        throw ProblemException.methodNotAllowed(method, path, String.join(", ", allowed));
    }

    private static int limit(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Integer.MAX_VALUE;
        }
        String limit = null;
        for (String parameter : rawQuery.split("&")) {
            int equals = parameter.indexOf('=');
            String name = decode(equals < 0 ? parameter : parameter.substring(0, equals));
            if (name.equals("limit")) {
                if (limit != null) {
                    throw ProblemException.badRequest("Give limit once");
                }
                limit = equals < 0 ? "" : decode(parameter.substring(equals + 1));
            }
        }
        if (limit == null) {
            return Integer.MAX_VALUE;
        }
        if (LIMIT.matcher(limit).matches()) {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        }
        throw ProblemException.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT);
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value, UTF_8);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("The query string is not properly percent-encoded");
        }
    }

    private static long customerId(String segment) {
        if (!CUSTOMER_ID.matcher(segment).matches()) {
            throw ProblemException.badRequest("A customer id is a positive whole number");
        }
        return Long.parseLong(segment);
    }

    private static ProblemException noCustomer(long id) {
        return ProblemException.notFound("There is no customer " + id);
    }

    /**
     * The request as it arrived, so the proxy's tests can see which headers reached the target. Header names are
     * lower-cased (they are case-insensitive and the JDK server re-cases them anyway) and sorted. The one thing hidden
     * is the token: the Authorization header reads {@code Bearer ***}, and {@code authorized} says it was accepted.
     */
    private Map<String, Object> echo(HttpExchange exchange, String method, String path) throws IOException {
        Map<String, List<String>> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String key = name.toLowerCase(Locale.ROOT);
            List<String> shown = key.equals("authorization")
                    ? values.stream().map(v -> "Bearer ***").toList()
                    : values;
            headers.computeIfAbsent(key, k -> new ArrayList<>()).addAll(shown);
        });
        Map<String, Object> echo = new LinkedHashMap<>();
        echo.put("method", method);
        echo.put("path", path);
        echo.put("query", exchange.getRequestURI().getRawQuery());
        echo.put("headers", headers);
        echo.put("authorized", true);
        if (method.equals("POST")) {
            echo.put("body", readBody(exchange));
        }
        return echo;
    }

    private static String readBody(HttpExchange exchange) throws IOException {
        InputStream body = exchange.getRequestBody();
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null && isOverCap(declared.strip())) {
            discard(body);
            throw tooLarge();
        }
        byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            discard(body);
            throw tooLarge();
        }
        return new String(bytes, UTF_8);
    }

    /** Lets a body declared too large be refused before any of it is buffered. */
    private static boolean isOverCap(String contentLength) {
        if (!contentLength.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        return contentLength.length() > 9 || Long.parseLong(contentLength) > MAX_BODY_BYTES;
    }

    private static void discard(InputStream body) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long discarded = 0;
        int read;
        while (discarded < MAX_DISCARDED_BYTES && (read = body.read(buffer)) >= 0) {
            discarded += read;
        }
    }

    private static ProblemException tooLarge() {
        return ProblemException.contentTooLarge("A request body may be at most " + MAX_BODY_BYTES + " bytes (1 MiB)");
    }

    private Response ok(Object body) {
        return new Response(200, JSON_MEDIA_TYPE, json.writeValueAsBytes(body), Map.of());
    }

    private Response problem(ProblemException e) {
        return new Response(e.problem().status(), Problem.MEDIA_TYPE, json.writeValueAsBytes(e.problem()), e.headers());
    }

    private Response problem(int status, String detail) {
        return new Response(status, Problem.MEDIA_TYPE, json.writeValueAsBytes(Problem.of(status, detail)), Map.of());
    }

    private static int send(HttpExchange exchange, Response response) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        response.headers().forEach(headers::set);
        if (response.body().length == 0) {
            exchange.sendResponseHeaders(response.status(), -1);
            return response.status();
        }
        headers.set("Content-Type", response.contentType());
        exchange.sendResponseHeaders(response.status(), response.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(response.body());
        }
        return response.status();
    }

    /** A complete answer: the handler builds it first and sends it in one go, with its length known. */
    private record Response(int status, String contentType, byte[] body, Map<String, String> headers) {

        static Response noContent() {
            return new Response(204, null, new byte[0], Map.of());
        }
    }
}
