package dev.portcullis.controlplane.system;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The control plane's settings, all under {@code portcullis.*}.
 *
 * @param home where local state lives: the embedded database, the generated master key and admin password
 *     ({@code PORTCULLIS_HOME}, default {@code ./.portcullis})
 * @param masterKey the 256-bit key that encrypts stored credentials, base64 or hex ({@code PORTCULLIS_MASTER_KEY});
 *     when absent a key is generated once into {@code $PORTCULLIS_HOME/master.key} with mode 0600
 * @param embeddedDb the embedded PostgreSQL that runs when no {@code spring.datasource.url} is set
 * @param admin the first administrator, created when the database has no user yet
 * @param demo the demo data set of {@code ./portcullis up --demo}
 * @param sessions how session events from proxy nodes are taken in
 * @param retention how long recorded sessions are kept
 */
@Validated
@ConfigurationProperties("portcullis")
public record PortcullisProperties(
        @NotNull @DefaultValue(".portcullis") Path home,
        String masterKey,
        @Valid @DefaultValue EmbeddedDb embeddedDb,
        @Valid @DefaultValue Admin admin,
        @Valid @DefaultValue Demo demo,
        @Valid @DefaultValue Sessions sessions,
        @Valid @DefaultValue Retention retention) {

    /**
     * The embedded PostgreSQL 17 server.
     *
     * @param port the port it listens on, on 127.0.0.1 only (0 picks a free one)
     * @param dataDirectory its data directory, kept across restarts (default {@code $PORTCULLIS_HOME/pgdata})
     * @param database the database the control plane keeps its own tables in
     */
    public record EmbeddedDb(
            @Min(0) @Max(65535) @DefaultValue("5433") int port,
            Path dataDirectory,
            @NotNull @DefaultValue("portcullis") String database) {}

    /**
     * The bootstrap administrator.
     *
     * @param username the name of the first administrator, member of group {@code admins}
     * @param password its password ({@code PORTCULLIS_ADMIN_PASSWORD}); when absent one is generated and written to
     *     {@code $PORTCULLIS_HOME/admin.password} with mode 0600
     */
    public record Admin(@NotNull @DefaultValue("admin") String username, String password) {

        @Override
        public String toString() {
            return "Admin[username=" + username + ", password=" + (password == null ? "null" : "***") + "]";
        }
    }

    /**
     * The demo data set.
     *
     * @param enabled whether the control plane creates the demo database, connections, identities and policy at start
     * @param database the name of the demo database on the embedded server
     * @param apiUrl where the demo HTTP API listens (the {@code demo-api} connection's target)
     * @param apiTokenFile the file holding the demo API's own bearer token, which only Portcullis holds (the
     *     launcher writes it); without it no {@code demo-api} connection is made
     */
    public record Demo(
            @DefaultValue("false") boolean enabled,
            @NotNull @DefaultValue("demo") String database,
            @NotNull @DefaultValue("http://127.0.0.1:9090") String apiUrl,
            Path apiTokenFile) {}

    /**
     * Session event ingest ({@code POST /api/v1/proxy/events}).
     *
     * @param maxBatch the most events one request may carry; more get 413
     * @param maxBatchSize the largest request body accepted; larger ones get 413
     */
    public record Sessions(
            @Min(1) @Max(100_000) @DefaultValue("5000") int maxBatch,
            @NotNull @DefaultValue("64MB") DataSize maxBatchSize) {}

    /**
     * Retention of recorded sessions.
     *
     * @param days sessions that started longer ago than this many days are purged, unless under legal hold
     * @param interval how often the purge runs (it also creates the event partitions of the next days)
     */
    public record Retention(
            @Min(1) @DefaultValue("30") int days,
            @NotNull @DefaultValue("1h") Duration interval) {}

    /** The embedded database's data directory, defaulting to {@code pgdata} under the home directory. */
    public Path embeddedDataDirectory() {
        return embeddedDb.dataDirectory() != null ? embeddedDb.dataDirectory() : home.resolve("pgdata");
    }

    @Override
    public String toString() {
        return "PortcullisProperties[home=" + home + ", masterKey=" + (masterKey == null ? "null" : "***")
                + ", embeddedDb=" + embeddedDb + ", admin=" + admin + ", demo=" + demo + ", sessions=" + sessions
                + ", retention=" + retention + "]";
    }
}
