package dev.portcullis.controlplane.identity;

import dev.portcullis.controlplane.audit.AuditLog;
import dev.portcullis.controlplane.system.LocalFiles;
import dev.portcullis.controlplane.system.PortcullisProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The local proxy node's identity: a service account {@code proxy-node} in group {@code proxies}, its secret written
 * to {@code $PORTCULLIS_HOME/proxy-node.secret} (mode 0600) for the launcher to hand to the proxy. Other proxies get
 * service accounts of their own through the API.
 */
@Component
@DependsOnDatabaseInitialization
@ConditionalOnExpression("'${portcullis.oidc.issuer-uri:}'.isEmpty() and ${portcullis.proxy-client.bootstrap:true}")
class ProxyClientBootstrap implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(ProxyClientBootstrap.class);

    static final String NAME = "proxy-node";

    private final ServiceAccounts serviceAccounts;

    private final PortcullisProperties properties;

    private final TransactionTemplate transactions;

    ProxyClientBootstrap(
            ServiceAccounts serviceAccounts, PortcullisProperties properties, TransactionTemplate transactions) {
        this.serviceAccounts = serviceAccounts;
        this.properties = properties;
        this.transactions = transactions;
    }

    @Override
    public void afterPropertiesSet() {
        Path file = properties.home().resolve(NAME + ".secret").toAbsolutePath();
        transactions.executeWithoutResult(status -> {
            String secret;
            if (!serviceAccounts.exists(NAME)) {
                secret = serviceAccounts
                        .create(
                                new ServiceAccountRequest(NAME, "The local proxy node", List.of("proxies"), null),
                                AuditLog.SYSTEM_ACTOR)
                        .clientSecret();
            } else if (!Files.exists(file)) {
                // Only a hash is kept: a lost secret file is replaced by a new secret.
                secret = serviceAccounts.rotateSecret(NAME).clientSecret();
            } else {
                return;
            }
            write(file, secret);
            log.info("Proxy node client '{}' ready; secret in {}", NAME, file);
        });
    }

    private static void write(Path file, String secret) {
        try {
            LocalFiles.replaceSecretFile(file, secret + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }
}
