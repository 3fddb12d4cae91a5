package dev.portcullis.controlplane.identity;

import dev.portcullis.controlplane.audit.AuditLog;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Security events into the admin audit log: sign-ins and failed sign-ins of people, failed client authentication,
 * and tokens issued to service accounts. Bearer-token checks on every API call are not logged here: they would
 * drown the log.
 */
@Component
public class SecurityEvents {

    private static final Logger log = LoggerFactory.getLogger(SecurityEvents.class);

    private final AuditLog auditLog;

    private final LoginThrottle throttle;

    SecurityEvents(AuditLog auditLog, LoginThrottle throttle) {
        this.auditLog = auditLog;
        this.throttle = throttle;
    }

    @EventListener
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void onSuccess(AuthenticationSuccessEvent event) {
        Authentication authentication = event.getAuthentication();
        if (authentication instanceof UsernamePasswordAuthenticationToken) {
            throttle.succeeded(authentication.getName());
            auditLog.record("user.login", "user", authentication.getName(), null, null);
        } else if (authentication instanceof OAuth2ClientAuthenticationToken client
                && client.getRegisteredClient() != null) {
            throttle.succeeded(client.getRegisteredClient().getClientId());
        }
    }

    @EventListener
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void onFailure(AbstractAuthenticationFailureEvent event) {
        Authentication authentication = event.getAuthentication();
        String principal;
        String action;
        if (authentication instanceof UsernamePasswordAuthenticationToken) {
            principal = String.valueOf(authentication.getPrincipal());
            action = "user.login-failed";
        } else if (authentication instanceof OAuth2ClientAuthenticationToken client) {
            principal = String.valueOf(client.getPrincipal());
            action = "client.authentication-failed";
        } else {
            return;
        }
        // Bound what an attacker can write into the log through the user name field.
        String name = principal.length() > 255 ? principal.substring(0, 255) : principal;
        throttle.failed(name);
        log.info("Authentication failed: action={} principal={}", action, name);
        auditLog.record(
                action,
                action.startsWith("user") ? "user" : "service-account",
                name,
                null,
                null,
                event.getException().getClass().getSimpleName());
    }

    /** Records that a service account was issued a token (called by the token customizer). */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void tokenIssued(String clientId, long ttlSeconds) {
        auditLog.record(
                "service-account.token-issued",
                "service-account",
                clientId,
                null,
                Map.of("expiresInSeconds", ttlSeconds));
    }
}
