package dev.portcullis.controlplane.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.controlplane.ApiClient;
import dev.portcullis.controlplane.ApiIntegrationTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every API endpoint, read from the handler mappings, against every role. An endpoint with no expectation here fails
 * (a new endpoint must be given a rule), and so does an endpoint whose rule was removed from the security
 * configuration (its role then gets 403).
 */
class RoleMatrixIntegrationTests extends ApiIntegrationTest {

    /** Which role may call the endpoints under each prefix; everyone else gets 403, no token 401. */
    private static final Map<String, String> EXPECTED_ROLE = new LinkedHashMap<>();

    static {
        EXPECTED_ROLE.put("/api/v1/connections", "admin");
        EXPECTED_ROLE.put("/api/v1/policies", "admin");
        EXPECTED_ROLE.put("/api/v1/users", "admin");
        EXPECTED_ROLE.put("/api/v1/service-accounts", "admin");
        EXPECTED_ROLE.put("/api/v1/audit-log", "admin");
        EXPECTED_ROLE.put("/api/v1/signing-keys", "admin");
        EXPECTED_ROLE.put("/api/v1/proxy-nodes", "admin");
        EXPECTED_ROLE.put("/api/v1/reviews", "approver");
        EXPECTED_ROLE.put("/api/v1/proxy/", "proxy");
        EXPECTED_ROLE.put("/api/v1/sessions", "auditor");
    }

    /** The callers: a service account per role, and one agent that is also in every other group. */
    private static final Map<String, List<String>> CALLERS = new LinkedHashMap<>();

    static {
        CALLERS.put("admin", List.of("admins"));
        CALLERS.put("approver", List.of("approvers"));
        CALLERS.put("auditor", List.of("auditors"));
        CALLERS.put("proxy", List.of("proxies"));
        CALLERS.put("agent", List.of("ai-agents", "admins", "approvers", "auditors", "proxies"));
    }

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @TestFactory
    Stream<DynamicTest> everyEndpointWhenCalledByEveryRoleThenOnlyItsRoleGetsThrough() {
        List<DynamicTest> tests = new ArrayList<>();
        Map<String, ApiClient> clients = new LinkedHashMap<>();
        CALLERS.forEach((role, groups) -> clients.put(role, as("matrix-" + role, groups)));
        for (Map.Entry<RequestMappingInfo, ?> entry :
                mappings.getHandlerMethods().entrySet()) {
            RequestMappingInfo info = entry.getKey();
            for (String pattern : info.getPatternValues()) {
                if (!pattern.startsWith("/api/")) {
                    continue;
                }
                for (RequestMethod method : info.getMethodsCondition().getMethods()) {
                    String path = pattern.replaceAll("\\{[^}]+}", "matrix-none");
                    tests.add(DynamicTest.dynamicTest(method + " " + pattern, () -> {
                        String allowed = expectedRole(pattern);
                        assertThat(allowed)
                                .as("no expected role for %s %s: add it to EXPECTED_ROLE", method, pattern)
                                .isNotNull();
                        assertThat(call(anonymous(), method, path))
                                .as("%s %s without a token", method, path)
                                .isEqualTo(401);
                        clients.forEach((role, client) -> {
                            int status = call(client, method, path);
                            if (role.equals(allowed)) {
                                assertThat(status)
                                        .as("%s %s as %s", method, path, role)
                                        .isNotIn(401, 403);
                            } else {
                                assertThat(status)
                                        .as("%s %s as %s", method, path, role)
                                        .isEqualTo(403);
                            }
                        });
                    }));
                }
            }
        }
        assertThat(tests).hasSizeGreaterThan(20);
        return tests.stream();
    }

    private static String expectedRole(String pattern) {
        return EXPECTED_ROLE.entrySet().stream()
                .filter(e -> pattern.startsWith(e.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
    }

    private static int call(ApiClient client, RequestMethod method, String path) {
        String query = path.contains("/proxy/snapshot") ? "?wait=0" : "";
        return switch (method) {
            case GET -> client.get(path + query).status();
            case POST -> client.postJson(path, "{}").status();
            case PUT -> client.put(path, "application/json", "{}").status();
            case DELETE -> client.delete(path).status();
            default -> throw new IllegalStateException("No call for " + method);
        };
    }
}
