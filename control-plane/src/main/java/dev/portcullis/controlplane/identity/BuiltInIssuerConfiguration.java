package dev.portcullis.controlplane.identity;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.portcullis.controlplane.audit.AuditLog;
import dev.portcullis.controlplane.secrets.SecretBox;
import java.time.Clock;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The control plane as its own OIDC issuer (Spring Authorization Server), on unless {@code portcullis.oidc.issuer-uri}
 * names an external one: discovery, JWKS, the token endpoint and a sign-in page for local users.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${portcullis.oidc.issuer-uri:}'.isEmpty()")
class BuiltInIssuerConfiguration {

    @Bean
    @DependsOnDatabaseInitialization
    SigningKeys signingKeys(
            JdbcClient jdbc,
            SecretBox secretBox,
            TransactionTemplate transactions,
            AuditLog auditLog,
            OidcProperties oidc,
            Clock clock) {
        SigningKeys keys = new SigningKeys(jdbc, secretBox, transactions, auditLog, oidc.maxTokenTtl(), clock);
        keys.initialize();
        return keys;
    }

    @Bean
    JWKSource<SecurityContext> jwkSource(SigningKeys keys) {
        return keys::get;
    }

    @Bean
    JwtEncoder jwtEncoder(SigningKeys keys) {
        return new NimbusJwtEncoder(keys.signingSource());
    }

    @Bean
    RegisteredClientRepository registeredClientRepository(ServiceAccounts serviceAccounts, OidcProperties oidc) {
        return new PortcullisClients(serviceAccounts, oidc);
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(OidcProperties oidc) {
        AuthorizationServerSettings.Builder settings = AuthorizationServerSettings.builder();
        if (oidc.issuer() != null) {
            settings.issuer(oidc.issuer().toString());
        }
        return settings.build();
    }

    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> tokenClaims(
            ServiceAccounts serviceAccounts, UserAccounts users, OidcProperties oidc, SecurityEvents events) {
        return context -> {
            String clientId = context.getRegisteredClient().getClientId();
            boolean serviceAccount =
                    AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType());
            List<String> groups = serviceAccount
                    ? serviceAccounts.groupsOf(clientId)
                    : users.groupsOf(context.getPrincipal().getName());
            context.getClaims().claim(oidc.groupsClaim(), groups);
            if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
                context.getClaims()
                        .audience(List.of(oidc.audience()))
                        .claim("client_id", clientId)
                        .claim("azp", clientId);
                if (serviceAccount) {
                    long ttl = context.getRegisteredClient()
                            .getTokenSettings()
                            .getAccessTokenTimeToLive()
                            .toSeconds();
                    events.tokenIssued(clientId, ttl);
                }
            }
        };
    }

    @Bean
    @Order(0)
    SecurityFilterChain authorizationServer(HttpSecurity http, LoginThrottle throttle) throws Exception {
        OAuth2AuthorizationServerConfigurer server = new OAuth2AuthorizationServerConfigurer();
        http.securityMatcher(server.getEndpointsMatcher())
                .with(server, s -> s.oidc(Customizer.withDefaults()))
                .authorizeHttpRequests(auth -> auth.anyRequest().authenticated())
                .addFilterBefore(throttle.filter(), UsernamePasswordAuthenticationFilter.class)
                // People reach /oauth2/authorize with a browser: send them to the sign-in page.
                .exceptionHandling(e -> e.defaultAuthenticationEntryPointFor(
                        new LoginUrlAuthenticationEntryPoint("/login"),
                        new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain signIn(HttpSecurity http, LoginThrottle throttle) throws Exception {
        http.securityMatcher("/login", "/logout", "/default-ui.css")
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
                .addFilterBefore(throttle.filter(), UsernamePasswordAuthenticationFilter.class)
                .formLogin(Customizer.withDefaults())
                .logout(Customizer.withDefaults());
        return http.build();
    }
}
