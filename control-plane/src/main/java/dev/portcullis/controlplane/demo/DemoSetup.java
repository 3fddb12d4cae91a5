package dev.portcullis.controlplane.demo;

import dev.portcullis.controlplane.connections.ConnectionRequest;
import dev.portcullis.controlplane.connections.ConnectionService;
import dev.portcullis.controlplane.identity.ServiceAccounts;
import dev.portcullis.controlplane.identity.UserAccounts;
import dev.portcullis.controlplane.policies.PolicyService;
import dev.portcullis.controlplane.system.PortcullisProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.DependsOn;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * {@code ./portcullis up --demo}: a {@code demo} database with a {@code customers} table of fake people on the
 * embedded server, the {@code demo-db} connection to it (its password known only to Portcullis), and the
 * {@code demo-guardrails} policy. Done once: a later start finds them and leaves them as they are.
 */
@Component
@ConditionalOnProperty(name = "portcullis.demo.enabled", havingValue = "true")
@DependsOnDatabaseInitialization
@DependsOn("bootstrapAdmin")
class DemoSetup implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(DemoSetup.class);

    static final String CONNECTION = "demo-db";

    static final String POLICY = "demo-guardrails";

    static final String API_CONNECTION = "demo-api";

    static final String ROLE = "demo";

    static final int CUSTOMERS = 300;

    private final ObjectProvider<EmbeddedPostgres> embedded;

    private EmbeddedPostgres postgres;

    private final PortcullisProperties properties;

    private final ConnectionService connections;

    private final PolicyService policies;

    private final UserAccounts users;

    private final ServiceAccounts serviceAccounts;

    DemoSetup(
            ObjectProvider<EmbeddedPostgres> embedded,
            PortcullisProperties properties,
            ConnectionService connections,
            PolicyService policies,
            UserAccounts users,
            ServiceAccounts serviceAccounts) {
        this.embedded = embedded;
        this.properties = properties;
        this.connections = connections;
        this.policies = policies;
        this.users = users;
        this.serviceAccounts = serviceAccounts;
    }

    @Override
    public void afterPropertiesSet() throws SQLException {
        postgres = embedded.getIfAvailable();
        if (postgres == null) {
            // The demo database lives on the embedded server; an external one is not ours to fill.
            log.warn("portcullis.demo.enabled is set but an external database is configured: no demo data created");
            return;
        }
        String database = properties.demo().database();
        boolean created = createDatabase(database);
        fillCustomers(database);
        if (!connections.exists(CONNECTION)) {
            // The role's password is set anew whenever the connection is (re)created: only the connection holds it.
            String password = randomSecret();
            setRolePassword(password);
            connections.create(new ConnectionRequest(
                    CONNECTION,
                    "POSTGRES",
                    "postgresql://127.0.0.1:" + postgres.getPort() + "/" + database,
                    "The demo customers database",
                    Map.of("kind", "PASSWORD", "username", ROLE, "password", password),
                    List.of("ai-agents"),
                    List.of("demo")));
        }
        Path apiTokenFile = properties.demo().apiTokenFile();
        if (apiTokenFile != null && !connections.exists(API_CONNECTION)) {
            String token;
            try {
                token = java.nio.file.Files.readString(apiTokenFile).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the demo API token from " + apiTokenFile, e);
            }
            connections.create(new ConnectionRequest(
                    API_CONNECTION,
                    "HTTP",
                    properties.demo().apiUrl(),
                    "The demo customers API",
                    Map.of("kind", "BEARER", "token", token),
                    List.of("ai-agents"),
                    List.of("demo")));
        }
        if (policies.list().stream().noneMatch(p -> p.name().equals(POLICY))) {
            policies.create(readPolicy(), PolicyService.Format.YAML);
        }
        Path credentials = new DemoIdentities(
                        users,
                        serviceAccounts,
                        properties.home(),
                        properties.admin().username())
                .ensure();
        log.info(
                "Demo ready: database '{}' ({}), connection '{}', policy '{}', credentials in {}",
                database,
                created ? "created" : "kept",
                CONNECTION,
                POLICY,
                credentials);
    }

    private boolean createDatabase(String database) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement st = c.createStatement()) {
            if (!exists(c, "select 1 from pg_roles where rolname = ?", ROLE)) {
                st.execute("create role " + ROLE + " login password '" + randomSecret() + "'");
            }
            if (exists(c, "select 1 from pg_database where datname = ?", database)) {
                return false;
            }
            st.execute("create database \"" + database + "\" owner " + ROLE);
            return true;
        }
    }

    private void setRolePassword(String password) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement st = c.createStatement()) {
            // The password is random base64url: nothing in it needs quoting.
            st.execute("alter role " + ROLE + " login password '" + password + "'");
        }
    }

    private void fillCustomers(String database) throws SQLException {
        try (Connection c = postgres.getDatabase("postgres", database).getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("set role " + ROLE);
                st.execute("create table if not exists customers (id serial primary key, name text not null,"
                        + " email text not null, phone text, card_number text, notes text)");
                try (ResultSet rs = st.executeQuery("select count(*) from customers")) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        c.rollback();
                        return;
                    }
                }
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "insert into customers (name, email, phone, card_number, notes) values (?, ?, ?, ?, ?)")) {
                for (FakeCustomers.Customer customer : FakeCustomers.generate(CUSTOMERS)) {
                    insert.setString(1, customer.name());
                    insert.setString(2, customer.email());
                    insert.setString(3, customer.phone());
                    insert.setString(4, customer.cardNumber());
                    insert.setString(5, customer.notes());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            c.commit();
        }
    }

    private static boolean exists(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String readPolicy() {
        try (InputStream in = new ClassPathResource("demo/demo-guardrails.yaml").getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
