package dev.portcullis.controlplane;

import dev.portcullis.testsupport.PostgresFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the API tests: one control plane on a real PostgreSQL (a database of its own on the shared test server),
 * shared by every subclass through Spring's context cache. Tests use unique names, never a clean database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ApiIntegrationTest {

    protected static final String ADMIN_PASSWORD = "test-admin-password";

    /** A fixed test key, never used outside tests. */
    protected static final String MASTER_KEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    protected static final PostgresFixture.Database DATABASE = PostgresFixture.newDatabase("api");

    private static final Path HOME = tempHome();

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", DATABASE::username);
        registry.add("spring.datasource.password", DATABASE::password);
        registry.add("portcullis.home", HOME::toString);
        registry.add("portcullis.master-key", () -> MASTER_KEY);
        registry.add("portcullis.admin.password", () -> ADMIN_PASSWORD);
    }

    protected ApiClient admin() {
        return new ApiClient(port, "admin", ADMIN_PASSWORD);
    }

    protected ApiClient as(String username, String password) {
        return new ApiClient(port, username, password);
    }

    protected ApiClient anonymous() {
        return new ApiClient(port, null, null);
    }

    private static Path tempHome() {
        try {
            return Files.createTempDirectory("portcullis-home-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
