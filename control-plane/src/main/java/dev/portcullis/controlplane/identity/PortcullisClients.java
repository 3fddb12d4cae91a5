package dev.portcullis.controlplane.identity;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * The built-in issuer's clients: the web console (authorization code with PKCE, no secret) and every enabled service
 * account (client credentials, secret checked against its stored hash). A disabled or unknown client is simply not
 * found, so both get the same {@code invalid_client} answer.
 */
class PortcullisClients implements RegisteredClientRepository {

    static final String CONSOLE_CLIENT_ID = "web-console";

    private static final String CONSOLE_ID = "00000000-0000-0000-0000-00000000c0de";

    private final ServiceAccounts serviceAccounts;

    private final RegisteredClient console;

    PortcullisClients(ServiceAccounts serviceAccounts, OidcProperties oidc) {
        this.serviceAccounts = serviceAccounts;
        RegisteredClient.Builder builder = RegisteredClient.withId(CONSOLE_ID)
                .clientId(CONSOLE_CLIENT_ID)
                .clientName("Portcullis web console")
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                .scope(OidcScopes.OPENID)
                .scope(OidcScopes.PROFILE)
                .clientSettings(ClientSettings.builder()
                        .requireProofKey(true)
                        .requireAuthorizationConsent(false)
                        .build())
                .tokenSettings(TokenSettings.builder()
                        .accessTokenTimeToLive(oidc.capped(oidc.userTokenTtl()))
                        .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                        .reuseRefreshTokens(false)
                        .build());
        oidc.consoleRedirectUris().forEach(builder::redirectUri);
        this.console = builder.build();
    }

    @Override
    public void save(RegisteredClient registeredClient) {
        throw new UnsupportedOperationException("Clients are service accounts: create them through the API");
    }

    @Override
    public RegisteredClient findById(String id) {
        if (CONSOLE_ID.equals(id)) {
            return console;
        }
        try {
            return toRegisteredClient(serviceAccounts.clientById(UUID.fromString(id)));
        } catch (IllegalArgumentException notUuid) {
            return null;
        }
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        if (CONSOLE_CLIENT_ID.equals(clientId)) {
            return console;
        }
        return toRegisteredClient(serviceAccounts.client(clientId));
    }

    private static RegisteredClient toRegisteredClient(Optional<ServiceAccounts.Client> client) {
        return client.filter(ServiceAccounts.Client::enabled)
                .map(c -> RegisteredClient.withId(c.id().toString())
                        .clientId(c.clientId())
                        .clientSecret(c.secretHash())
                        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                        .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                        .tokenSettings(TokenSettings.builder()
                                .accessTokenTimeToLive(positive(c.tokenTtl()))
                                .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                                .build())
                        .build())
                .orElse(null);
    }

    private static Duration positive(Duration ttl) {
        return ttl.isZero() || ttl.isNegative() ? Duration.ofMinutes(10) : ttl;
    }
}
