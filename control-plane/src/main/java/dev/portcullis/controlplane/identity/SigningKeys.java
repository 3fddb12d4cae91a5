package dev.portcullis.controlplane.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.portcullis.controlplane.audit.AuditLog;
import dev.portcullis.controlplane.secrets.SecretBox;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The built-in issuer's RSA signing keys, generated once and kept in the database with the private half sealed under
 * the master key, so tokens stay valid across restarts and across control-plane instances. Rotation retires the
 * signing key but keeps publishing it until every token it signed has expired.
 */
public class SigningKeys {

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);

    /** Keys are re-read this often, so a rotation on another instance is seen here. */
    static final Duration REFRESH = Duration.ofSeconds(30);

    private final JdbcClient jdbc;

    private final SecretBox secretBox;

    private final TransactionTemplate transactions;

    private final AuditLog auditLog;

    private final Duration publishAfterRetirement;

    private final Clock clock;

    private volatile Loaded loaded;

    private record Loaded(RSAKey signing, JWKSet published, Instant at) {}

    public SigningKeys(
            JdbcClient jdbc,
            SecretBox secretBox,
            TransactionTemplate transactions,
            AuditLog auditLog,
            Duration publishAfterRetirement,
            Clock clock) {
        this.jdbc = jdbc;
        this.secretBox = secretBox;
        this.transactions = transactions;
        this.auditLog = auditLog;
        this.publishAfterRetirement = publishAfterRetirement;
        this.clock = clock;
    }

    /** Makes sure one signing key exists (creating it under a lock shared by all instances) and loads the keys. */
    public void initialize() {
        transactions.executeWithoutResult(status -> {
            jdbc.sql("select pg_advisory_xact_lock(hashtext('portcullis.signing-keys'))")
                    .query()
                    .singleRow();
            boolean any = jdbc.sql("select exists (select 1 from signing_keys where retired_at is null)")
                    .query(Boolean.class)
                    .single();
            if (!any) {
                String kid = insertNewKey();
                log.info("Generated the issuer's signing key: kid={}", kid);
            }
        });
        reload();
    }

    /** Retires the current signing key and signs with a new one from now on; the old one stays published. */
    public String rotate() {
        String kid = transactions.execute(status -> {
            jdbc.sql("select pg_advisory_xact_lock(hashtext('portcullis.signing-keys'))")
                    .query()
                    .singleRow();
            jdbc.sql("update signing_keys set retired_at = ? where retired_at is null")
                    .param(Timestamp.from(Instant.now(clock)))
                    .update();
            String newKid = insertNewKey();
            auditLog.record("signing-key.rotate", "signing-key", newKid, null, Map.of("kid", newKid));
            return newKid;
        });
        reload();
        return kid;
    }

    /** The key that signs new tokens. */
    public RSAKey signingKey() {
        return current().signing();
    }

    /** Only the signing key: what the token encoder selects from. */
    public JWKSource<SecurityContext> signingSource() {
        return (selector, context) -> selector.select(new JWKSet(current().signing()));
    }

    /** Selects from the published keys: what the JWKS endpoint and token verification see. */
    public List<JWK> get(JWKSelector selector, SecurityContext context) {
        return selector.select(current().published());
    }

    private Loaded current() {
        Loaded l = loaded;
        if (l == null || Instant.now(clock).isAfter(l.at().plus(REFRESH))) {
            reload();
            l = loaded;
        }
        return l;
    }

    private synchronized void reload() {
        Instant now = Instant.now(clock);
        List<RSAKey> keys = jdbc.sql(
                        "select kid, private_key_ciphertext, retired_at from signing_keys"
                                + " where retired_at is null or retired_at > ? order by retired_at is not null, created_at desc")
                .param(Timestamp.from(now.minus(publishAfterRetirement)))
                .query((rs, i) -> open(rs.getString("kid"), rs.getBytes("private_key_ciphertext")))
                .list();
        if (keys.isEmpty()) {
            throw new IllegalStateException("No signing key: initialize() was not called");
        }
        List<JWK> published = keys.stream().map(k -> (JWK) k.toPublicJWK()).toList();
        loaded = new Loaded(keys.get(0), new JWKSet(published), now);
    }

    private RSAKey open(String kid, byte[] sealed) {
        byte[] json = secretBox.open(sealed, "signing-key:" + kid);
        try {
            return RSAKey.parse(new String(json, StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw new IllegalStateException("Stored signing key " + kid + " is not a JWK", e);
        }
    }

    private String insertNewKey() {
        String kid = UUID.randomUUID().toString();
        RSAKey key;
        try {
            key = new RSAKeyGenerator(2048)
                    .keyID(kid)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not generate an RSA key", e);
        }
        jdbc.sql("insert into signing_keys (kid, algorithm, public_jwk, private_key_ciphertext, created_at)"
                        + " values (?, 'RS256', ?, ?, ?)")
                .params(
                        kid,
                        key.toPublicJWK().toJSONString(),
                        secretBox.seal(key.toJSONString().getBytes(StandardCharsets.UTF_8), "signing-key:" + kid),
                        Timestamp.from(Instant.now(clock)))
                .update();
        return kid;
    }
}
