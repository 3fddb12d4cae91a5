package dev.portcullis.controlplane.identity;

/**
 * The answer to creating a service account or rotating its secret: the only time the secret is shown. Portcullis
 * keeps only a hash of it.
 */
public record ServiceAccountSecret(ServiceAccountView serviceAccount, String clientId, String clientSecret) {

    @Override
    public String toString() {
        return "ServiceAccountSecret[clientId=" + clientId + ", clientSecret=***]";
    }
}
