import dev.portcullis.recording.EventTypes;
import dev.portcullis.recording.SessionEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load generator for POST /api/v1/proxy/events: builds real hash chains as a proxy does (many sessions of
 * request, decision, response), serializes every batch before the clock starts, then sends them from a few threads
 * and prints events/s and batch latency. Not a test.
 *
 * <pre>java -cp recording/target/recording-0.1.0.jar bench/IngestBench.java URL TOKEN [events] [threads] [batch]</pre>
 */
public class IngestBench {

    public static void main(String[] args) throws Exception {
        String url = args[0].replaceAll("/$", "") + "/api/v1/proxy/events";
        String token = args[1];
        int events = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        int batchSize = args.length > 4 ? Integer.parseInt(args[4]) : 1000;
        int sessionEvents = 20;

        List<byte[]> warmup = batches(Math.max(20 * batchSize, events / 5), batchSize, sessionEvents);
        List<byte[]> measured = batches(events, batchSize, sessionEvents);
        long bytes = measured.stream().mapToLong(b -> b.length).sum();
        System.out.printf(
                "%d events in %d batches of %d (%d-event sessions), %.1f MB, %d threads%n",
                events, measured.size(), batchSize, sessionEvents, bytes / 1e6, threads);

        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        run(http, url, token, warmup, threads);
        System.out.println("warm-up done");
        long[] latencies = new long[measured.size()];
        long start = System.nanoTime();
        run(http, url, token, measured, threads, latencies);
        long elapsed = System.nanoTime() - start;
        Arrays.sort(latencies);
        double seconds = elapsed / 1e9;
        System.out.printf("elapsed %.2f s: %.0f events/s, %.1f MB/s%n", seconds, events / seconds, bytes / 1e6 / seconds);
        System.out.printf(
                "batch latency ms: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f%n",
                latencies[latencies.length / 2] / 1e6,
                latencies[(int) (latencies.length * 0.95)] / 1e6,
                latencies[(int) Math.min(latencies.length - 1, latencies.length * 0.99)] / 1e6,
                latencies[latencies.length - 1] / 1e6);
    }

    private static void run(HttpClient http, String url, String token, List<byte[]> batches, int threads)
            throws Exception {
        run(http, url, token, batches, threads, new long[batches.size()]);
    }

    private static void run(
            HttpClient http, String url, String token, List<byte[]> batches, int threads, long[] latencies)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < batches.size(); i = next.getAndIncrement()) {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(batches.get(i)))
                            .build();
                    long sent = System.nanoTime();
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    latencies[i] = System.nanoTime() - sent;
                    if (response.statusCode() != 200 || response.body().contains("\"broken\":[\"")) {
                        throw new IllegalStateException(
                                "batch " + i + ": " + response.statusCode() + " " + response.body());
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
    }

    /** Batches of whole sessions: start, then request / decision / response triples, then end. */
    private static List<byte[]> batches(int events, int batchSize, int sessionEvents) {
        List<byte[]> batches = new ArrayList<>();
        StringBuilder body = null;
        int inBatch = 0;
        long micros = System.currentTimeMillis() * 1000;
        int made = 0;
        while (made < events) {
            UUID session = UUID.randomUUID();
            SessionEvent previous = null;
            for (int i = 0; i < sessionEvents && made < events; i++, made++) {
                micros += 137;
                String type;
                Map<String, Object> payload;
                if (i == 0) {
                    type = EventTypes.SESSION_START;
                    payload = start();
                } else if (i == sessionEvents - 1) {
                    type = EventTypes.SESSION_END;
                    payload = Map.of("reason", "closed");
                } else if (i % 3 == 1) {
                    type = EventTypes.HTTP_REQUEST;
                    payload = request(i);
                } else if (i % 3 == 2) {
                    type = EventTypes.POLICY_DECISION;
                    payload = Map.of(
                            "verdict", i % 15 == 2 ? "BLOCK" : "ALLOW",
                            "policy", "demo-guardrails",
                            "rule", i % 15 == 2 ? "agents-stay-out-of-admin" : "default",
                            "reason", "matched");
                } else {
                    type = EventTypes.HTTP_RESPONSE;
                    payload = response(i);
                }
                previous = SessionEvent.next(previous, session, type, micros, payload);
                if (body == null) {
                    body = new StringBuilder(batchSize * 900).append("{\"proxyNode\":\"bench-proxy\",\"events\":[");
                } else if (inBatch > 0) {
                    body.append(',');
                }
                body.append(previous.toJson());
                if (++inBatch == batchSize) {
                    batches.add(body.append("]}").toString().getBytes(StandardCharsets.UTF_8));
                    body = null;
                    inBatch = 0;
                }
            }
        }
        if (body != null) {
            batches.add(body.append("]}").toString().getBytes(StandardCharsets.UTF_8));
        }
        return batches;
    }

    private static Map<String, Object> start() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("subject", "agent-" + (int) (Math.random() * 50));
        p.put("groups", List.of("ai-agents"));
        p.put("clientId", "demo-agent");
        p.put("connection", "demo-api");
        p.put("connectionType", "HTTP");
        p.put("proxyNode", "bench-proxy");
        return p;
    }

    private static Map<String, Object> request(int i) {
        Map<String, Object> p = new LinkedHashMap<>();
        String path = "/customers/" + (1000 + i);
        p.put("method", "GET");
        p.put("path", path);
        p.put("query", "fields=name,email");
        p.put("command", "GET " + path);
        p.put(
                "headers",
                Map.of(
                        "accept", List.of("application/json"),
                        "user-agent", List.of("python-httpx/0.27.0"),
                        "x-request-id", List.of(UUID.randomUUID().toString())));
        p.put("body", "");
        p.put("bodyEncoding", "utf-8");
        p.put("bodySize", 0);
        p.put("bodyTruncated", false);
        return p;
    }

    private static Map<String, Object> response(int i) {
        Map<String, Object> p = new LinkedHashMap<>();
        String body = "{\"id\":" + (1000 + i) + ",\"name\":\"Ada Lovelace\",\"email\":\"a***@example.com\","
                + "\"phone\":\"+* ***-***-**24\",\"card_number\":\"**** **** **** 4242\",\"notes\":\"prefers email\"}";
        p.put("status", 200);
        p.put("headers", Map.of("content-type", List.of("application/json"), "content-length", List.of("" + body.length())));
        p.put("masked", 3);
        p.put("body", body);
        p.put("bodyEncoding", "utf-8");
        p.put("bodySize", body.length());
        p.put("bodyTruncated", false);
        return p;
    }
}
