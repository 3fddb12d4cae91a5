package dev.portcullis.controlplane.identity;

import dev.portcullis.controlplane.system.LocalFiles;
import dev.portcullis.controlplane.system.PortcullisProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates the first administrator when the database has no user, so a new installation can be administered at all.
 * Its password comes from {@code PORTCULLIS_ADMIN_PASSWORD}, or is generated into
 * {@code $PORTCULLIS_HOME/admin.password} (mode 0600) and never logged.
 */
@Component
@DependsOnDatabaseInitialization
class BootstrapAdmin implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(BootstrapAdmin.class);

    private final UserAccounts users;

    private final PortcullisProperties properties;

    private final TransactionTemplate transactions;

    BootstrapAdmin(UserAccounts users, PortcullisProperties properties, TransactionTemplate transactions) {
        this.users = users;
        this.properties = properties;
        this.transactions = transactions;
    }

    @Override
    public void afterPropertiesSet() {
        transactions.executeWithoutResult(status -> {
            if (users.anyUser()) {
                return;
            }
            String username = properties.admin().username();
            String password = properties.admin().password();
            String source = "PORTCULLIS_ADMIN_PASSWORD";
            if (password == null || password.isBlank()) {
                Path file = properties.home().resolve("admin.password").toAbsolutePath();
                password = readOrGenerate(file);
                source = file.toString();
            }
            users.createUser(username, password, List.of("admins"));
            log.info("Created the first administrator '{}' (group admins); password in {}", username, source);
        });
    }

    private static String readOrGenerate(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] bytes = new byte[18];
                new SecureRandom().nextBytes(bytes);
                try {
                    LocalFiles.createSecretFile(
                            file, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) + "\n");
                } catch (FileAlreadyExistsException raced) {
                    // Another instance generated it first: use theirs.
                }
            }
            return LocalFiles.readSecretFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the administrator password to " + file, e);
        }
    }
}
