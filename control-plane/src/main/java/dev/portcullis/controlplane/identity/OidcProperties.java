package dev.portcullis.controlplane.identity;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Identity settings, under {@code portcullis.oidc.*}.
 *
 * @param issuerUri an external OIDC issuer (Keycloak, Okta, Entra ID, Google); when set the built-in issuer is off and
 *     tokens are validated against this issuer's discovery document and JWKS
 * @param issuer the built-in issuer's URL as it appears in tokens ({@code iss}); unset, it follows the request's host
 * @param audience the audience every access token must carry ({@code aud}); the built-in issuer puts it there
 * @param groupsClaim the claim that holds a caller's groups
 * @param roleMapping which group grants which role ({@code admin}, {@code approver}, {@code auditor}, {@code proxy});
 *     unset: {@code admins}, {@code approvers}, {@code auditors} and {@code proxies} grant the role of their name
 * @param agentGroup members of this group are agents under control: no API access at all, whatever else they hold
 * @param agentTokenTtl the default lifetime of a service account's access token
 * @param maxTokenTtl the longest lifetime any access token may have; longer requests are capped to it
 * @param userTokenTtl the lifetime of a person's access token from the console sign-in
 * @param consoleRedirectUris where the built-in issuer may send the web console's authorization codes
 */
@Validated
@ConfigurationProperties("portcullis.oidc")
public record OidcProperties(
        URI issuerUri,
        URI issuer,
        @NotBlank @DefaultValue("portcullis") String audience,
        @NotBlank @DefaultValue("groups") String groupsClaim,
        Map<String, String> roleMapping,
        @NotBlank @DefaultValue("ai-agents") String agentGroup,
        @NotNull @DefaultValue("10m") Duration agentTokenTtl,
        @NotNull @DefaultValue("1h") Duration maxTokenTtl,
        @NotNull @DefaultValue("10m") Duration userTokenTtl,

        @NotNull
        @DefaultValue({
            "http://127.0.0.1:8080/login/oauth2/code/portcullis",
            "http://localhost:8080/login/oauth2/code/portcullis"
        })
        List<String> consoleRedirectUris) {

    /** The group-to-role mapping in force. */
    public Map<String, String> groupRoles() {
        if (roleMapping == null || roleMapping.isEmpty()) {
            return Map.of("admins", "admin", "approvers", "approver", "auditors", "auditor", "proxies", "proxy");
        }
        return roleMapping;
    }

    /** Whether the control plane is its own issuer (no external issuer configured). */
    public boolean builtInIssuer() {
        return issuerUri == null;
    }

    /** A token lifetime within the cap. */
    public Duration capped(Duration requested) {
        return requested.compareTo(maxTokenTtl) > 0 ? maxTokenTtl : requested;
    }
}
