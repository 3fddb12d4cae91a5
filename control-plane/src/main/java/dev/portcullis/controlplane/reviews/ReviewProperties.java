package dev.portcullis.controlplane.reviews;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Review settings, under {@code portcullis.review.*}.
 *
 * @param consoleUrl the web console's base URL; a review's link is {@code {console-url}/reviews/{id}}
 * @param pendingTtl how long a review stays decidable after it is opened; then it expires
 * @param validity how long an approved command may be sent again (once) by the same caller after the approval
 * @param expiryInterval how often pending reviews past their expiry are marked expired
 * @param webhooks where to announce reviews, by approver group: the URL that receives the events of reviews that group
 *     may decide
 * @param webhookAttempts how many times a webhook delivery is tried before it is given up with a warning
 * @param webhookBackoff the wait before the second attempt; it doubles before each further one
 * @param webhookTimeout how long one webhook attempt may take, connection included
 */
@Validated
@ConfigurationProperties("portcullis.review")
public record ReviewProperties(
        @NotBlank @DefaultValue("http://127.0.0.1:8080") String consoleUrl,
        @NotNull @DefaultValue("1h") Duration pendingTtl,
        @NotNull @DefaultValue("15m") Duration validity,
        @NotNull @DefaultValue("10s") Duration expiryInterval,
        Map<String, URI> webhooks,
        @Min(1) @Max(20) @DefaultValue("5") int webhookAttempts,
        @NotNull @DefaultValue("1s") Duration webhookBackoff,
        @NotNull @DefaultValue("10s") Duration webhookTimeout) {

    public ReviewProperties {
        webhooks = webhooks == null ? Map.of() : Map.copyOf(webhooks);
    }

    /** Webhook URLs often hold their own credential (a chat webhook's path is its secret): only groups are shown. */
    @Override
    public String toString() {
        return "ReviewProperties[consoleUrl=" + consoleUrl + ", pendingTtl=" + pendingTtl + ", validity=" + validity
                + ", expiryInterval=" + expiryInterval + ", webhooks=" + webhooks.keySet() + "=***"
                + ", webhookAttempts=" + webhookAttempts + ", webhookBackoff=" + webhookBackoff + ", webhookTimeout="
                + webhookTimeout + "]";
    }

    /** The console page of a review. */
    public String urlOf(Object id) {
        String base = consoleUrl.endsWith("/") ? consoleUrl.substring(0, consoleUrl.length() - 1) : consoleUrl;
        return base + "/reviews/" + id;
    }
}
