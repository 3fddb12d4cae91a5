package dev.portcullis.controlplane.secrets;

import dev.portcullis.controlplane.system.LocalFiles;
import dev.portcullis.controlplane.system.PortcullisProperties;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where the master key comes from: {@code PORTCULLIS_MASTER_KEY} in production (from a secret store, never beside the
 * database), else {@code $PORTCULLIS_HOME/master.key}, generated once with mode 0600 for local runs.
 */
@Configuration(proxyBeanMethods = false)
class MasterKeyConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MasterKeyConfiguration.class);

    @Bean
    SecretBox secretBox(PortcullisProperties properties) throws IOException {
        return new SecretBox(loadMasterKey(properties));
    }

    static MasterKey loadMasterKey(PortcullisProperties properties) throws IOException {
        if (properties.masterKey() != null && !properties.masterKey().isBlank()) {
            MasterKey key = MasterKey.parse(properties.masterKey());
            log.info("Using the master key from PORTCULLIS_MASTER_KEY: keyId={}", key.id());
            return key;
        }
        Path file = properties.home().resolve("master.key").toAbsolutePath();
        if (!Files.exists(file)) {
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            try {
                LocalFiles.createSecretFile(file, Base64.getEncoder().encodeToString(bytes) + "\n");
                log.warn(
                        "Generated a new master key in {} (mode 0600). Back it up: without it the stored "
                                + "credentials cannot be decrypted. In production set PORTCULLIS_MASTER_KEY instead.",
                        file);
            } catch (FileAlreadyExistsException raced) {
                log.info("Another process created {} first; using it", file);
            }
        }
        MasterKey key = MasterKey.parse(LocalFiles.readSecretFile(file));
        log.info("Using the master key from {}: keyId={}", file, key.id());
        return key;
    }
}
