package dev.portcullis.controlplane;

import dev.portcullis.controlplane.audit.AuditLog;
import dev.portcullis.controlplane.identity.ServiceAccountRequest;
import dev.portcullis.controlplane.identity.ServiceAccounts;
import dev.portcullis.testsupport.PostgresFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the API tests: one control plane on a real PostgreSQL (a database of its own on the shared test server),
 * shared by every subclass through Spring's context cache. Callers are real service accounts holding real tokens
 * from the built-in issuer. Tests use unique names, never a clean database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ApiIntegrationTest {

    protected static final String ADMIN_PASSWORD = "test-admin-password";

    /** A fixed test key, never used outside tests. */
    protected static final String MASTER_KEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    protected static final PostgresFixture.Database DATABASE = PostgresFixture.newDatabase("api");

    private static final Path HOME = tempHome();

    /** Secrets of the service accounts made for tests, by name (one context, so one set). */
    private static final Map<String, String> SECRETS = new ConcurrentHashMap<>();

    @LocalServerPort
    protected int port;

    @Autowired
    protected ServiceAccounts serviceAccounts;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", DATABASE::username);
        registry.add("spring.datasource.password", DATABASE::password);
        registry.add("portcullis.home", HOME::toString);
        registry.add("portcullis.master-key", () -> MASTER_KEY);
        registry.add("portcullis.admin.password", () -> ADMIN_PASSWORD);
    }

    /** An API client acting as {@code test-admin}, a service account in group {@code admins}. */
    protected ApiClient admin() {
        return ApiClient.bearer(port, tokenFor("test-admin", List.of("admins")));
    }

    /** An API client holding a fresh token of a service account with these groups (created on first use). */
    protected ApiClient as(String serviceAccount, List<String> groups) {
        return ApiClient.bearer(port, tokenFor(serviceAccount, groups));
    }

    protected ApiClient anonymous() {
        return ApiClient.anonymous(port);
    }

    /** A fresh token for a test service account, creating it with {@code groups} on first use. */
    protected String tokenFor(String name, List<String> groups) {
        String secret = secretOf(name, groups);
        return ApiClient.token(port, name, secret);
    }

    /** The secret of a test service account, creating it with {@code groups} on first use. */
    protected String secretOf(String name, List<String> groups) {
        return SECRETS.computeIfAbsent(
                name,
                n -> serviceAccounts
                        .create(new ServiceAccountRequest(n, "test", groups, null), AuditLog.SYSTEM_ACTOR)
                        .clientSecret());
    }

    private static Path tempHome() {
        try {
            return Files.createTempDirectory("portcullis-home-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
