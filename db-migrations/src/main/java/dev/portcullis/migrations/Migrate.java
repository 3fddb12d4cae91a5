package dev.portcullis.migrations;

import java.io.PrintStream;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies Portcullis's schema migrations to a PostgreSQL database without starting the control plane, for operators
 * who migrate ahead of a rollout: {@code java -jar db-migrations-cli.jar --url=jdbc:postgresql://… --user=…}. The
 * password comes from {@code --password} or, better, the {@code PORTCULLIS_DB_PASSWORD} environment variable.
 */
public final class Migrate {

    /** Where the migrations live on the class path; the control plane applies the same location. */
    public static final String LOCATION = "classpath:db/migration";

    private Migrate() {}

    /** Builds the Flyway instance the control plane and this command share. */
    public static Flyway flyway(String url, String user, String password) {
        return Flyway.configure()
                .dataSource(url, user, password)
                .locations(LOCATION)
                .failOnMissingLocations(true)
                .load();
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String url = env.get("PORTCULLIS_DB_URL");
        String user = env.get("PORTCULLIS_DB_USER");
        String password = env.get("PORTCULLIS_DB_PASSWORD");
        boolean info = false;
        for (String arg : args) {
            if (arg.startsWith("--url=")) {
                url = arg.substring("--url=".length());
            } else if (arg.startsWith("--user=")) {
                user = arg.substring("--user=".length());
            } else if (arg.startsWith("--password=")) {
                password = arg.substring("--password=".length());
            } else if (arg.equals("--info")) {
                info = true;
            } else {
                err.println("Unknown argument: " + arg.replaceAll("=.*", "=…"));
                err.println(
                        "Usage: java -jar db-migrations-cli.jar --url=JDBC_URL --user=USER [--password=…] [--info]");
                return 2;
            }
        }
        if (url == null || user == null) {
            err.println("A JDBC URL and a user are required (--url, --user or PORTCULLIS_DB_URL, PORTCULLIS_DB_USER)");
            return 2;
        }
        try {
            Flyway flyway = flyway(url, user, password);
            if (info) {
                var current = flyway.info().current();
                out.println("Current schema version: " + (current == null ? "none" : current.getVersion()));
                out.println("Pending migrations: " + flyway.info().pending().length);
                return 0;
            }
            MigrateResult result = flyway.migrate();
            out.println("Applied " + result.migrationsExecuted + " migration(s); schema version is now "
                    + (result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion));
            return 0;
        } catch (RuntimeException e) {
            err.println("Migration failed: " + e.getMessage());
            return 1;
        }
    }
}
