package dev.portcullis.controlplane.secrets;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Proves at start that the configured master key is the one the stored credentials were encrypted with, so a wrong
 * key stops the control plane with a clear message instead of failing at the first credential a proxy asks for.
 *
 * <p>The first start with a key stores a canary sealed under it. Every later start must open that canary.
 */
@Component
@DependsOnDatabaseInitialization
class MasterKeyVerifier implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(MasterKeyVerifier.class);

    static final String CANARY_CONTEXT = "portcullis:master-key-check";

    private static final byte[] CANARY = "portcullis master key check v1".getBytes(StandardCharsets.US_ASCII);

    private final JdbcClient jdbc;

    private final SecretBox box;

    MasterKeyVerifier(JdbcClient jdbc, SecretBox box) {
        this.jdbc = jdbc;
        this.box = box;
    }

    @Override
    public void afterPropertiesSet() {
        List<String> knownKeys = jdbc.sql("select key_id from master_key_checks order by created_at")
                .query(String.class)
                .list();
        if (knownKeys.isEmpty()) {
            jdbc.sql("insert into master_key_checks (key_id, ciphertext, created_at) values (?, ?, ?)"
                            + " on conflict (key_id) do nothing")
                    .params(box.keyId(), box.seal(CANARY, CANARY_CONTEXT), Timestamp.from(Instant.now()))
                    .update();
            log.info("Recorded master key check for keyId={}", box.keyId());
            return;
        }
        if (!knownKeys.contains(box.keyId())) {
            throw new InvalidMasterKeyException("The configured master key (keyId=" + box.keyId()
                    + ") is not the key the stored credentials were encrypted with (keyId="
                    + String.join(", ", knownKeys)
                    + "). Set PORTCULLIS_MASTER_KEY (or $PORTCULLIS_HOME/master.key) to the original key.");
        }
        byte[] sealed = jdbc.sql("select ciphertext from master_key_checks where key_id = ?")
                .param(box.keyId())
                .query(byte[].class)
                .single();
        byte[] opened = box.open(sealed, CANARY_CONTEXT);
        if (!java.util.Arrays.equals(opened, CANARY)) {
            throw new InvalidMasterKeyException("The master key check for keyId=" + box.keyId() + " does not match");
        }
        log.info("Master key verified: keyId={}", box.keyId());
    }
}
