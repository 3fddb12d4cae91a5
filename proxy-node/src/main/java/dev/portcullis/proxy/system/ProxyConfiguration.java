package dev.portcullis.proxy.system;

import dev.portcullis.proxy.controlplane.ControlPlaneClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class ProxyConfiguration {

    @Bean
    ProxyNode proxyNode(ProxyProperties properties, @Value("${server.port:8082}") int port) {
        String version = ProxyNode.class.getPackage().getImplementationVersion();
        return new ProxyNode(properties.effectiveNodeId(port), version != null ? version : "dev", Instant.now());
    }

    @Bean
    ControlPlaneClient controlPlaneClient(ProxyProperties properties, JsonMapper json) {
        return new ControlPlaneClient(properties, json);
    }

    /** Callers' tokens: signed by the issuer's published keys, current, for our audience, and from our issuer if set. */
    @Bean
    ReactiveJwtDecoder callerTokens(ProxyProperties properties) {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(
                        properties.effectiveJwkSetUri().toString())
                .build();
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(new JwtTimestampValidator());
        validators.add(new JwtClaimValidator<Collection<String>>(
                JwtClaimNames.AUD, aud -> aud != null && aud.contains(properties.audience())));
        if (properties.issuer() != null && !properties.issuer().isBlank()) {
            validators.add(new JwtIssuerValidator(properties.issuer()));
        }
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return decoder;
    }
}
