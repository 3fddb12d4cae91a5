package dev.portcullis.controlplane.demo;

import dev.portcullis.controlplane.audit.AuditLog;
import dev.portcullis.controlplane.identity.Secrets;
import dev.portcullis.controlplane.identity.ServiceAccountRequest;
import dev.portcullis.controlplane.identity.ServiceAccounts;
import dev.portcullis.controlplane.identity.UserAccounts;
import dev.portcullis.controlplane.identity.UserRequest;
import dev.portcullis.controlplane.system.LocalFiles;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The demo's people and agents, with their secrets written to {@code $PORTCULLIS_HOME/demo-credentials.properties}
 * (mode 0600): users {@code admin}, {@code approver}, {@code auditor}; service accounts {@code demo-agent} (group
 * {@code ai-agents}) and {@code demo-ops} (admins, approvers, auditors). Portcullis keeps only hashes, so a secret
 * missing from the file is replaced by a new one rather than recovered.
 */
final class DemoIdentities {

    static final String FILE = "demo-credentials.properties";

    private final UserAccounts users;

    private final ServiceAccounts serviceAccounts;

    private final Path home;

    private final String adminUsername;

    DemoIdentities(UserAccounts users, ServiceAccounts serviceAccounts, Path home, String adminUsername) {
        this.users = users;
        this.serviceAccounts = serviceAccounts;
        this.home = home;
        this.adminUsername = adminUsername;
    }

    /** Creates what is missing and returns the credentials file. */
    Path ensure() {
        Path file = home.resolve(FILE).toAbsolutePath();
        Properties credentials = read(file);
        boolean changed = false;
        Path bootstrapPassword = home.resolve("admin.password");
        if (credentials.getProperty("admin.password") == null && Files.exists(bootstrapPassword)) {
            // The first administrator already has a generated password: hand out that one.
            try {
                credentials.setProperty("admin.password", LocalFiles.readSecretFile(bootstrapPassword));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            changed = true;
        }
        changed |= ensureUser(credentials, adminUsername, "admin.password", List.of("admins"));
        changed |= ensureUser(credentials, "approver", "approver.password", List.of("approvers"));
        changed |= ensureUser(credentials, "auditor", "auditor.password", List.of("auditors"));
        changed |= ensureServiceAccount(credentials, "demo-agent", "The agent under control", List.of("ai-agents"));
        changed |= ensureServiceAccount(
                credentials, "demo-ops", "Automation and scripts", List.of("admins", "approvers", "auditors"));
        if (changed || !Files.exists(file)) {
            write(file, credentials);
        }
        return file;
    }

    private boolean ensureUser(Properties credentials, String username, String key, List<String> groups) {
        if (!users.exists(username)) {
            String password = Secrets.generate();
            users.create(new UserRequest(username, password, null, null, groups), AuditLog.SYSTEM_ACTOR);
            credentials.setProperty(key, password);
            return true;
        }
        if (credentials.getProperty(key) == null) {
            String password = Secrets.generate();
            users.setPassword(username, password);
            credentials.setProperty(key, password);
            return true;
        }
        return false;
    }

    private boolean ensureServiceAccount(Properties credentials, String name, String description, List<String> groups) {
        String key = name + ".client-secret";
        if (!serviceAccounts.exists(name)) {
            String secret = serviceAccounts
                    .create(new ServiceAccountRequest(name, description, groups, null), AuditLog.SYSTEM_ACTOR)
                    .clientSecret();
            credentials.setProperty(key, secret);
            return true;
        }
        if (credentials.getProperty(key) == null) {
            credentials.setProperty(key, serviceAccounts.rotateSecret(name).clientSecret());
            return true;
        }
        return false;
    }

    private static Properties read(Path file) {
        Properties properties = new Properties();
        if (Files.exists(file)) {
            try {
                properties.load(new StringReader(LocalFiles.readSecretFile(file)));
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read " + file, e);
            }
        }
        return properties;
    }

    private static void write(Path file, Properties credentials) {
        StringWriter text = new StringWriter();
        text.append("# Portcullis demo credentials: keep this file private (mode 0600).\n");
        new TreeMap<>(credentials)
                .forEach((k, v) -> text.append(k.toString())
                        .append('=')
                        .append(v.toString())
                        .append('\n'));
        try {
            LocalFiles.replaceSecretFile(file, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }
}
