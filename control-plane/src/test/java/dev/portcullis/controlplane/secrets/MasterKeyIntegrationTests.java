package dev.portcullis.controlplane.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.controlplane.ControlPlaneApplication;
import dev.portcullis.testsupport.PostgresFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The master key is checked at start: the wrong key stops the control plane before it serves anything. */
class MasterKeyIntegrationTests {

    static final String KEY_A = "a".repeat(64);

    static final String KEY_B = "b".repeat(64);

    @TempDir
    Path home;

    @Test
    void startWhenMasterKeyDiffersFromTheStoredOneThenFailsLoudly() {
        PostgresFixture.Database db = PostgresFixture.newDatabase("masterkey");
        try (ConfigurableApplicationContext first = start(db, KEY_A)) {
            assertThat(first.isRunning()).isTrue();
        }

        assertThatThrownBy(() -> start(db, KEY_B).close())
                .hasRootCauseInstanceOf(InvalidMasterKeyException.class)
                .rootCause()
                .hasMessageContaining("is not the key the stored credentials were encrypted with")
                .hasMessageContaining(MasterKey.parse(KEY_A).id())
                .hasMessageContaining(MasterKey.parse(KEY_B).id())
                .extracting(Throwable::getMessage, InstanceOfAssertFactories.STRING)
                .doesNotContain(KEY_A)
                .doesNotContain(KEY_B);

        // The right key still starts.
        try (ConfigurableApplicationContext again = start(db, KEY_A)) {
            assertThat(again.isRunning()).isTrue();
        }
    }

    @Test
    void startWhenMasterKeyMalformedThenFailsNamingTheProblem() {
        PostgresFixture.Database db = PostgresFixture.newDatabase("badkey");

        assertThatThrownBy(() -> start(db, "too-short").close())
                .hasRootCauseInstanceOf(InvalidMasterKeyException.class)
                .rootCause()
                .hasMessageContaining("256 bits");
    }

    @Test
    void startWhenNoKeyConfiguredThenGeneratesOwnerOnlyKeyFileAndReusesIt() throws Exception {
        PostgresFixture.Database db = PostgresFixture.newDatabase("genkey");
        try (ConfigurableApplicationContext first = start(db, null)) {
            assertThat(first.isRunning()).isTrue();
        }
        Path keyFile = home.resolve("master.key");
        assertThat(keyFile).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                .isEqualTo("rw-------");
        String key = Files.readString(keyFile);

        try (ConfigurableApplicationContext second = start(db, null)) {
            assertThat(second.isRunning()).isTrue();
        }
        assertThat(Files.readString(keyFile)).isEqualTo(key);
    }

    @Test
    void startWhenKeyFileReadableByOthersThenRefuses() throws Exception {
        PostgresFixture.Database db = PostgresFixture.newDatabase("openkey");
        Path keyFile = home.resolve("master.key");
        Files.writeString(keyFile, KEY_A);
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> start(db, null).close()).rootCause().hasMessageContaining("readable by other users");
    }

    private ConfigurableApplicationContext start(PostgresFixture.Database db, String masterKey) {
        SpringApplicationBuilder builder = new SpringApplicationBuilder(ControlPlaneApplication.class);
        return builder.run(
                "--server.port=0",
                "--spring.datasource.url=" + db.jdbcUrl(),
                "--spring.datasource.username=" + db.username(),
                "--spring.datasource.password=" + db.password(),
                "--portcullis.home=" + home,
                "--portcullis.admin.password=irrelevant-here",
                masterKey == null ? "--portcullis.master-key=" : "--portcullis.master-key=" + masterKey);
    }
}
