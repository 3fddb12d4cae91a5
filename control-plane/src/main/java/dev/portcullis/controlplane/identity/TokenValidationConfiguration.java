package dev.portcullis.controlplane.identity;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * How the API checks a bearer token: signed by the issuer's keys (the built-in issuer's own, or the external issuer's
 * JWKS), not expired and already valid, issued for the {@code portcullis} audience, and not for a revoked subject.
 * Groups come from {@code portcullis.oidc.groups-claim} and grant roles through {@link Roles}.
 */
@Configuration(proxyBeanMethods = false)
class TokenValidationConfiguration {

    @Bean
    JwtDecoder jwtDecoder(
            OidcProperties oidc, ObjectProvider<JWKSource<SecurityContext>> builtInKeys, Revocations revocations) {
        NimbusJwtDecoder decoder;
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(new JwtTimestampValidator());
        if (oidc.builtInIssuer()) {
            // Only our own keys are trusted, so the signature already proves the issuer.
            decoder = NimbusJwtDecoder.withJwkSource(builtInKeys.getObject()).build();
            if (oidc.issuer() != null) {
                validators.add(new JwtIssuerValidator(oidc.issuer().toString()));
            }
        } else {
            decoder = NimbusJwtDecoder.withIssuerLocation(oidc.issuerUri().toString())
                    .build();
            validators.add(new JwtIssuerValidator(oidc.issuerUri().toString()));
        }
        validators.add(new JwtClaimValidator<Collection<String>>(
                JwtClaimNames.AUD, aud -> aud != null && aud.contains(oidc.audience())));
        validators.add(jwt -> jwt.getSubject() != null && revocations.isRevoked(jwt.getSubject())
                ? OAuth2TokenValidatorResult.failure(
                        new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, "The token's subject is revoked", null))
                : OAuth2TokenValidatorResult.success());
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return decoder;
    }

    @Bean
    Converter<Jwt, AbstractAuthenticationToken> jwtAuthentication(Roles roles) {
        return jwt -> {
            List<String> groups = roles.groupsOf(jwt);
            List<GrantedAuthority> authorities = roles.fromGroups(groups).stream()
                    .map(role -> (GrantedAuthority) new SimpleGrantedAuthority("ROLE_" + role))
                    .toList();
            return new JwtAuthenticationToken(jwt, authorities, jwt.getSubject());
        };
    }
}
