package dev.portcullis.proxy.system;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The proxy node's settings, under {@code portcullis.proxy.*}.
 *
 * @param home where the proxy keeps its state: the last policy snapshot and the event spool ({@code PORTCULLIS_HOME})
 * @param nodeId this node's name in the fleet (default: host name and port)
 * @param controlPlaneUrl the control plane's base URL
 * @param clientId the proxy's OAuth2 client (a service account in group {@code proxies})
 * @param clientSecret its secret; prefer {@code client-secret-file}
 * @param clientSecretFile a file holding the secret (the launcher uses {@code $PORTCULLIS_HOME/proxy-node.secret})
 * @param jwkSetUri where callers' token signing keys are published (default: the control plane's {@code /oauth2/jwks})
 * @param issuer the issuer callers' tokens must name ({@code iss}); unset: any token signed by those keys
 * @param audience the audience callers' tokens must carry
 * @param groupsClaim the claim that holds a caller's groups (the control plane's {@code portcullis.oidc.groups-claim})
 * @param pollWait how long one snapshot long poll waits for a change
 * @param heartbeatInterval how often the node reports to the control plane
 * @param credentialCacheTtl how long a fetched connection credential stays in memory
 * @param maxRequestBody the largest request body forwarded (larger: 413)
 * @param maxMaskedBody the largest response body that masking buffers (larger, with a masking rule: 502)
 * @param filters which enforcement filters run; all on by default, off only for benchmarks
 * @param recording how sessions are recorded, spooled to local disk and delivered to the control plane
 */
@Validated
@ConfigurationProperties("portcullis.proxy")
public record ProxyProperties(
        @NotNull @DefaultValue(".portcullis") Path home,
        String nodeId,
        @NotNull @DefaultValue("http://127.0.0.1:8081") URI controlPlaneUrl,
        @NotBlank @DefaultValue("proxy-node") String clientId,
        String clientSecret,
        Path clientSecretFile,
        URI jwkSetUri,
        String issuer,
        @NotBlank @DefaultValue("portcullis") String audience,
        @NotBlank @DefaultValue("groups") String groupsClaim,
        @NotNull @DefaultValue("30s") Duration pollWait,
        @NotNull @DefaultValue("10s") Duration heartbeatInterval,
        @NotNull @DefaultValue("30s") Duration credentialCacheTtl,
        @NotNull @DefaultValue("10MB") DataSize maxRequestBody,
        @NotNull @DefaultValue("1MB") DataSize maxMaskedBody,
        @Valid @DefaultValue Filters filters,
        @Valid @DefaultValue Recording recording) {

    /**
     * Switches for the enforcement filters, in their fixed order.
     *
     * @param authenticate validate the caller's token (off: every caller is anonymous and refused by policy)
     * @param decide evaluate the policy (off: no decision; only for measuring the framework)
     * @param review hold REVIEW verdicts for a human's decision (off: REVIEW verdicts are refused, never let through)
     * @param credential inject the connection's credential
     * @param mask mask response bodies
     */
    public record Filters(
            @DefaultValue("true") boolean authenticate,
            @DefaultValue("true") boolean decide,
            @DefaultValue("true") boolean review,
            @DefaultValue("true") boolean credential,
            @DefaultValue("true") boolean mask) {}

    /**
     * Session recording: every session's events are chained, spooled to local disk and delivered to the control plane
     * in batches.
     *
     * @param enabled record sessions (off: nothing is recorded; only for benchmarks)
     * @param sessionIdle a session without activity for this long ends (reason {@code idle})
     * @param spoolMaxBytes spooled bytes not yet accepted by the control plane above which new sessions are refused
     *     (sessions already open keep recording)
     * @param batchSize the most events sent to the control plane in one request
     * @param retryMin the first wait after a failed delivery, doubled on each further failure
     * @param retryMax the longest wait between delivery attempts
     * @param bodyCap how much of each request and response body a session records
     * @param spoolCommitInterval the least time between two fsyncs of the spool while events trickle in (group commit:
     *     a crash can take about this much of the newest events)
     * @param deliveryLinger how long delivery lets events gather after a batch that was not full
     */
    public record Recording(
            @DefaultValue("true") boolean enabled,
            @NotNull @DefaultValue("5m") Duration sessionIdle,
            @NotNull @DefaultValue("1GB") DataSize spoolMaxBytes,
            @Positive @DefaultValue("1000") int batchSize,
            @NotNull @DefaultValue("500ms") Duration retryMin,
            @NotNull @DefaultValue("30s") Duration retryMax,
            @NotNull @DefaultValue("64KB") DataSize bodyCap,
            @NotNull @DefaultValue("10ms") Duration spoolCommitInterval,
            @NotNull @DefaultValue("200ms") Duration deliveryLinger) {}

    /** The snapshot file kept across restarts. */
    public Path snapshotFile() {
        return home.resolve("proxy-node").resolve("snapshot.json");
    }

    /** The folder of the event spool: session events not yet accepted by the control plane. */
    public Path spoolDirectory() {
        return home.resolve("proxy-node").resolve("spool");
    }

    /** This node's name in the fleet: {@code node-id}, else host name and the given port. */
    public String effectiveNodeId(int port) {
        if (nodeId != null && !nodeId.isBlank()) {
            return nodeId;
        }
        try {
            return InetAddress.getLocalHost().getHostName() + ":" + port;
        } catch (IOException e) {
            return "proxy:" + port;
        }
    }

    /** The JWKS of callers' tokens. */
    public URI effectiveJwkSetUri() {
        return jwkSetUri != null ? jwkSetUri : controlPlaneUrl.resolve("/oauth2/jwks");
    }

    @Override
    public String toString() {
        return "ProxyProperties[nodeId=" + nodeId + ", controlPlaneUrl=" + controlPlaneUrl + ", clientId=" + clientId
                + ", clientSecret=" + (clientSecret == null ? "null" : "***") + "]";
    }
}
