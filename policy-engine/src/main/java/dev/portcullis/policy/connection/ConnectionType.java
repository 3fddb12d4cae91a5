package dev.portcullis.policy.connection;

/**
 * What kind of system a connection reaches, which decides how its traffic is understood and which credentials fit.
 */
public enum ConnectionType {

    /** An HTTP API, reached through the gateway at {@code /c/{connection}/**}. */
    HTTP,

    /** A Kubernetes API server: HTTP underneath, with Kubernetes-aware matching. */
    KUBERNETES,

    /** A PostgreSQL database, reached through the proxy's wire-protocol listener. */
    POSTGRES
}
