package dev.portcullis.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DemoApiTests {

    private static final String TOKEN = "demo-api-test-token-3f9c2a";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private DemoApi api;

    @BeforeEach
    void startApi() {
        api = DemoApi.start(0, TOKEN);
    }

    @AfterEach
    void stopApi() {
        api.stop();
    }

    @Test
    void getCustomersWhenNoTokenThenUnauthorizedWithBearerChallenge() throws Exception {
        HttpResponse<String> response = send(request("/customers").GET().build());

        assertProblem(response, 401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(
                        challenge -> assertThat(challenge).startsWith("Bearer").doesNotContain("invalid_token"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Bearer wrong-token",
                "Bearer demo-api-test-token-3f9c2",
                "Bearer demo-api-test-token-3f9c2a-and-more",
                "Bearer ",
                "Basic ZGVtbzpkZW1v",
                "demo-api-test-token-3f9c2a"
            })
    void getCustomersWhenWrongCredentialThenUnauthorized(String authorization) throws Exception {
        HttpResponse<String> response = send(request("/customers")
                .header("Authorization", authorization)
                .GET()
                .build());

        assertProblem(response, 401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Bearer"));
        assertThat(response.body()).doesNotContain(TOKEN);
    }

    @Test
    void getCustomersWhenWrongTokenThenChallengeSaysInvalidToken() throws Exception {
        HttpResponse<String> response = send(request("/customers")
                .header("Authorization", "Bearer nope")
                .GET()
                .build());

        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"demo-api\", error=\"invalid_token\"");
    }

    @Test
    void getCustomersWhenSchemeInOtherCaseThenAccepted() throws Exception {
        HttpResponse<String> response = send(request("/customers")
                .header("Authorization", "bearer " + TOKEN)
                .GET()
                .build());

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void getCustomersWhenAuthorizedThenTwoHundredCustomersWithLuhnValidCards() throws Exception {
        HttpResponse<String> response = get("/customers");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(response.headers().firstValueAsLong("Content-Length"))
                .hasValue(response.body().getBytes(StandardCharsets.UTF_8).length);
        JsonNode customers = JSON.readTree(response.body());
        assertThat(customers.isArray()).isTrue();
        assertThat(customers.size()).isEqualTo(200);
        Set<Long> ids = new HashSet<>();
        for (JsonNode customer : customers) {
            assertThat(customer.propertyNames())
                    .containsExactly("id", "name", "email", "phone", "card_number", "notes");
            ids.add(customer.get("id").asLong());
            assertThat(customer.get("card_number").asString()).matches("4\\d{3} \\d{4} \\d{4} \\d{4}");
            assertThat(isLuhnValid(customer.get("card_number").asString()))
                    .as("Luhn check of %s", customer.get("card_number"))
                    .isTrue();
            assertThat(customer.get("email").asString())
                    .matches("[a-z]+\\.[a-z]+" + customer.get("id").asLong() + "@example\\.com");
            assertThat(customer.get("phone").asString()).matches("\\+1 555-\\d{3}-\\d{4}");
        }
        assertThat(ids).hasSize(200);
    }

    @Test
    void getCustomersThenSomeNotesHoldAnEmailOrAPhoneNumber() throws Exception {
        JsonNode customers = JSON.readTree(get("/customers").body());

        List<String> notes = new ArrayList<>();
        customers.forEach(customer -> notes.add(customer.get("notes").asString()));
        assertThat(notes).anyMatch(note -> note.matches(".*[\\w.]+@[\\w.]+\\.\\w+.*"));
        assertThat(notes).anyMatch(note -> note.matches(".*\\+1 555-\\d{3}-\\d{4}.*"));
        assertThat(notes).anyMatch(note -> !note.contains("@") && !note.contains("+1 555"));
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "10, 10", "200, 200", "1000, 200"})
    void getCustomersWhenLimitThenAtMostThatMany(int limit, int expected) throws Exception {
        HttpResponse<String> response = get("/customers?limit=" + limit);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode customers = JSON.readTree(response.body());
        assertThat(customers.size()).isEqualTo(expected);
        assertThat(customers.get(0).get("id").asLong()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1001", "-1", "abc", "", "1.5", "99999999999", "10&limit=20"})
    void getCustomersWhenLimitInvalidThenBadRequest(String limit) throws Exception {
        HttpResponse<String> response = get("/customers?limit=" + limit);

        assertProblem(response, 400);
        assertThat(JSON.readTree(response.body()).get("detail").asString()).contains("limit");
    }

    @Test
    void getCustomerWhenKnownThenThatCustomer() throws Exception {
        HttpResponse<String> response = get("/customers/42");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode customer = JSON.readTree(response.body());
        assertThat(customer.get("id").asLong()).isEqualTo(42);
        assertThat(customer.get("email").asString()).endsWith("42@example.com");
        assertThat(JSON.readTree(get("/customers").body()).get(41)).isEqualTo(customer);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "201", "999999"})
    void getCustomerWhenUnknownThenNotFound(String id) throws Exception {
        assertProblem(get("/customers/" + id), 404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-1", "1.0", "12345678901234567890", "%20"})
    void getCustomerWhenIdNotANumberThenBadRequest(String id) throws Exception {
        assertProblem(get("/customers/" + id), 400);
    }

    @Test
    void deleteCustomerThenNoContentAndGoneAfterwards() throws Exception {
        HttpResponse<String> deleted = send(authorized("/customers/7").DELETE().build());

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertProblem(get("/customers/7"), 404);
        assertProblem(send(authorized("/customers/7").DELETE().build()), 404);
        assertThat(JSON.readTree(get("/customers").body()).size()).isEqualTo(199);
        assertThat(api.deleteCount()).isEqualTo(1);
    }

    @Test
    void deleteCustomerWhenIdNotANumberThenBadRequest() throws Exception {
        assertProblem(send(authorized("/customers/x").DELETE().build()), 400);
    }

    @Test
    void deleteCustomerWhenNoTokenThenUnauthorizedAndNothingDeleted() throws Exception {
        assertProblem(send(request("/customers/3").DELETE().build()), 401);

        assertThat(get("/customers/3").statusCode()).isEqualTo(200);
        assertThat(api.deleteCount()).isZero();
    }

    @Test
    void deleteCustomersWhenConcurrentThenEachDeletedOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> deletes = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                IntStream.rangeClosed(1, 50)
                        .forEach(id -> deletes.add(() -> send(authorized("/customers/" + id)
                                        .DELETE()
                                        .build())
                                .statusCode()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> status : pool.invokeAll(deletes)) {
                statuses.add(status.get());
            }

            assertThat(statuses).filteredOn(status -> status == 204).hasSize(50);
            assertThat(statuses).filteredOn(status -> status == 404).hasSize(150);
            assertThat(api.deleteCount()).isEqualTo(50);
            assertThat(JSON.readTree(get("/customers").body()).size()).isEqualTo(150);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void getAdminStatsThenCustomersDeletedAndRequests() throws Exception {
        get("/customers");
        send(authorized("/customers/1").DELETE().build());
        send(authorized("/customers/2").DELETE().build());
        send(request("/customers").GET().build());

        HttpResponse<String> response = get("/admin/stats");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()))
                .isEqualTo(JSON.readTree("{\"customers\": 198, \"deleted\": 2, \"requests\": 5}"));
    }

    @Test
    void getEchoThenHeadersAsReceivedAndAuthorizationRedacted() throws Exception {
        HttpResponse<String> response = send(authorized("/echo?a=1&b=x%20y")
                .header("X-Request-Id", "req-123")
                .header("X-Forwarded-For", "10.0.0.1")
                .header("X-Forwarded-For", "10.0.0.2")
                .GET()
                .build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotContain(TOKEN);
        JsonNode echo = JSON.readTree(response.body());
        assertThat(echo.get("method").asString()).isEqualTo("GET");
        assertThat(echo.get("path").asString()).isEqualTo("/echo");
        assertThat(echo.get("query").asString()).isEqualTo("a=1&b=x%20y");
        assertThat(echo.get("authorized").asBoolean()).isTrue();
        assertThat(echo.has("body")).isFalse();
        JsonNode headers = echo.get("headers");
        assertThat(headers.get("authorization")).isEqualTo(JSON.readTree("[\"Bearer ***\"]"));
        assertThat(headers.get("x-request-id")).isEqualTo(JSON.readTree("[\"req-123\"]"));
        assertThat(headers.get("x-forwarded-for")).isEqualTo(JSON.readTree("[\"10.0.0.1\", \"10.0.0.2\"]"));
        assertThat(headers.has("host")).isTrue();
    }

    @Test
    void getEchoWhenNoQueryThenQueryNull() throws Exception {
        JsonNode echo = JSON.readTree(get("/echo").body());

        assertThat(echo.get("query").isNull()).isTrue();
    }

    @Test
    void postEchoThenBodyAsText() throws Exception {
        String body = "{\"sql\": \"select 1\", \"note\": \"héllo ✓\"}";
        HttpResponse<String> response = send(authorized("/echo")
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(body))
                .build());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode echo = JSON.readTree(response.body());
        assertThat(echo.get("method").asString()).isEqualTo("POST");
        assertThat(echo.get("body").asString()).isEqualTo(body);
        assertThat(echo.get("headers").get("content-type").get(0).asString()).isEqualTo("application/json");
    }

    @Test
    void postEchoWhenBodyExactlyOneMebibyteThenEchoed() throws Exception {
        byte[] body = new byte[DemoApiHandler.MAX_BODY_BYTES];
        Arrays.fill(body, (byte) 'a');

        HttpResponse<String> response =
                send(authorized("/echo").POST(BodyPublishers.ofByteArray(body)).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("body").asString()).hasSize(DemoApiHandler.MAX_BODY_BYTES);
    }

    @Test
    void postEchoWhenDeclaredBodyOverOneMebibyteThenContentTooLarge() throws Exception {
        byte[] body = new byte[DemoApiHandler.MAX_BODY_BYTES + 1];

        assertProblem(
                send(authorized("/echo").POST(BodyPublishers.ofByteArray(body)).build()), 413);
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void postEchoWhenStreamedBodyOverOneMebibyteThenContentTooLarge() throws Exception {
        byte[] body = new byte[2 * DemoApiHandler.MAX_BODY_BYTES];
        // An unknown length makes the client send the body chunked, with no Content-Length to refuse up front.
        BodyPublisher chunked = BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));

        assertProblem(send(authorized("/echo").POST(chunked).build()), 413);
    }

    @Test
    void getWhenUnknownPathThenNotFound() throws Exception {
        HttpResponse<String> response = get("/no/such/thing");

        assertProblem(response, 404);
        assertThat(JSON.readTree(response.body()).get("detail").asString()).contains("/no/such/thing");
    }

    @Test
    void getWhenUnknownPathAndNoTokenThenUnauthorized() throws Exception {
        assertProblem(send(request("/no/such/thing").GET().build()), 401);
    }

    @ParameterizedTest
    @CsvSource({
        "POST, /customers, GET",
        "PUT, /customers/1, 'GET, DELETE'",
        "PATCH, /customers/1, 'GET, DELETE'",
        "DELETE, /customers, GET",
        "DELETE, /echo, 'GET, POST'",
        "POST, /admin/stats, GET",
        "POST, /health, GET"
    })
    void requestWhenWrongMethodThenMethodNotAllowedWithAllow(String method, String path, String allow)
            throws Exception {
        HttpResponse<String> response =
                send(authorized(path).method(method, BodyPublishers.noBody()).build());

        assertProblem(response, 405);
        assertThat(response.headers().firstValue("Allow")).hasValue(allow);
    }

    @Test
    void getHealthWhenNoTokenThenUp() throws Exception {
        HttpResponse<String> response = send(request("/health").GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"status\": \"UP\"}"));
    }

    @Test
    void startWhenTokenBlankThenRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> DemoApi.start(0, " "));
    }

    @Test
    void stopWhenCalledTwiceThenNothingMore() {
        api.stop();
        api.stop();
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + pathAndQuery))
                .timeout(Duration.ofSeconds(10));
    }

    private HttpRequest.Builder authorized(String pathAndQuery) {
        return request(pathAndQuery).header("Authorization", "Bearer " + TOKEN);
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return send(authorized(pathAndQuery).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, BodyHandlers.ofString());
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.propertyNames()).containsExactly("type", "title", "status", "detail");
        assertThat(problem.get("type").asString()).isEqualTo("about:blank");
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).isNotBlank();
    }

    /** Written apart from {@link Luhn} so that the test does not check the generator against itself. */
    private static boolean isLuhnValid(String cardNumber) {
        int[] digits = cardNumber.replace(" ", "").chars().map(c -> c - '0').toArray();
        int sum = 0;
        for (int i = 0; i < digits.length; i++) {
            int digit = digits[digits.length - 1 - i];
            sum += i % 2 == 1 ? (digit * 2) / 10 + (digit * 2) % 10 : digit;
        }
        return sum % 10 == 0;
    }
}
