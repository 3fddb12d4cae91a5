package dev.portcullis.controlplane.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.controlplane.ApiClient;
import dev.portcullis.controlplane.ApiClient.Response;
import dev.portcullis.controlplane.ApiIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Tokens that must not get in: expired, not yet valid, signed by someone else, for another audience, unsigned. Each is
 * built from a token that does get in (the control case), changed in one way only.
 */
class BadTokenIntegrationTests extends ApiIntegrationTest {

    @Autowired
    SigningKeys signingKeys;

    @Test
    void craftedTokenWhenEverythingRightThenAccepted() throws Exception {
        assertThat(call(sign(claims(b -> b), signingKeys.signingKey())).status())
                .isEqualTo(200);
    }

    @Test
    void tokenWhenExpiredThen401() throws Exception {
        Instant past = Instant.now().minusSeconds(600);
        String token = sign(
                claims(b -> b.issueTime(Date.from(past.minusSeconds(600))).expirationTime(Date.from(past))),
                signingKeys.signingKey());

        assertRejected(call(token));
    }

    @Test
    void tokenWhenNotYetValidThen401() throws Exception {
        String token =
                sign(claims(b -> b.notBeforeTime(Date.from(Instant.now().plusSeconds(600)))), signingKeys.signingKey());

        assertRejected(call(token));
    }

    @Test
    void tokenWhenSignedByAnotherKeyWithOurKidThen401() throws Exception {
        RSAKey forged = new RSAKeyGenerator(2048)
                .keyID(signingKeys.signingKey().getKeyID())
                .generate();

        assertRejected(call(sign(claims(b -> b), forged)));
    }

    @Test
    void tokenWhenWrongAudienceThen401() throws Exception {
        assertRejected(call(sign(claims(b -> b.audience("some-other-api")), signingKeys.signingKey())));
    }

    @Test
    void tokenWhenAlgNoneThen401() throws Exception {
        String header = base64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String payload = base64(claims(b -> b).toString());

        assertRejected(call(header + "." + payload + "."));
    }

    @Test
    void tokenWhenSignatureTamperedThen401() throws Exception {
        String token = sign(claims(b -> b), signingKeys.signingKey());
        String[] parts = token.split("\\.");
        // Claim more groups than were signed.
        String tampered = parts[0] + "."
                + base64(claims(b -> b.claim("groups", List.of("admins", "auditors")))
                        .toString()) + "." + parts[2];

        assertRejected(call(tampered));
    }

    private Response call(String token) {
        return ApiClient.bearer(port, token).get("/api/v1/connections");
    }

    private static void assertRejected(Response response) {
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(h -> assertThat(h).startsWith("Bearer").contains("invalid_token"));
    }

    private static JWTClaimsSet claims(UnaryOperator<JWTClaimsSet.Builder> change) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .subject("crafted-admin")
                .audience("portcullis")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .jwtID(UUID.randomUUID().toString())
                .claim("groups", List.of("admins"));
        return change.apply(builder).build();
    }

    private static String sign(JWTClaimsSet claims, RSAKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(key.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
