package dev.portcullis.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DemoApiOptionsTests {

    private static final String TOKEN = "options-test-token";

    @TempDir
    Path dir;

    @Test
    void parseWhenOnlyTokenFileThenLoopbackAndDefaultPort() throws IOException {
        DemoApiOptions options = DemoApiOptions.parse(new String[] {"--token-file=" + tokenFile(TOKEN)}, Map.of());

        assertThat(options.bind()).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(options.port()).isEqualTo(9090);
        assertThat(options.token().matches(TOKEN)).isTrue();
    }

    @Test
    void parseWhenTokenFileHasSurroundingWhitespaceThenStripped() throws IOException {
        DemoApiOptions options =
                DemoApiOptions.parse(new String[] {"--token-file=" + tokenFile("\n  " + TOKEN + "\r\n\n")}, Map.of());

        assertThat(options.token().matches(TOKEN)).isTrue();
    }

    @Test
    void parseWhenEnvironmentThenUsed() throws IOException {
        DemoApiOptions options = DemoApiOptions.parse(
                new String[0],
                Map.of(
                        "DEMO_API_PORT", "9191",
                        "DEMO_API_BIND", "0.0.0.0",
                        "DEMO_API_TOKEN_FILE", tokenFile(TOKEN).toString()));

        assertThat(options.port()).isEqualTo(9191);
        assertThat(options.bind().getHostAddress()).isEqualTo("0.0.0.0");
        assertThat(options.token().matches(TOKEN)).isTrue();
    }

    @Test
    void parseWhenArgumentsAndEnvironmentThenArgumentsWin() throws IOException {
        Path fromArgs = tokenFile(TOKEN);
        Path fromEnv = Files.writeString(dir.resolve("other"), "other-token");

        DemoApiOptions options = DemoApiOptions.parse(
                new String[] {"--port=0", "--token-file=" + fromArgs},
                Map.of("DEMO_API_PORT", "9191", "DEMO_API_TOKEN_FILE", fromEnv.toString()));

        assertThat(options.port()).isZero();
        assertThat(options.token().matches(TOKEN)).isTrue();
    }

    @Test
    void parseWhenNoTokenFileThenClearError() {
        assertThatExceptionOfType(StartupException.class)
                .isThrownBy(() -> DemoApiOptions.parse(new String[] {"--port=9090"}, Map.of()))
                .withMessageContaining("no token file given")
                .withMessageContaining("--token-file=PATH")
                .withMessageContaining("DEMO_API_TOKEN_FILE");
    }

    @Test
    void parseWhenTokenFileMissingThenClearError() {
        Path missing = dir.resolve("missing-token");

        assertThatExceptionOfType(StartupException.class)
                .isThrownBy(() -> DemoApiOptions.parse(new String[] {"--token-file=" + missing}, Map.of()))
                .withMessage("token file " + missing.toAbsolutePath() + " does not exist or is not a file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  \n\t\r\n"})
    void parseWhenTokenFileEmptyThenClearError(String content) throws IOException {
        Path empty = tokenFile(content);

        assertThatExceptionOfType(StartupException.class)
                .isThrownBy(() -> DemoApiOptions.parse(new String[] {"--token-file=" + empty}, Map.of()))
                .withMessage("token file " + empty.toAbsolutePath() + " is empty");
    }

    @Test
    void parseWhenTokenFileHoldsTwoWordsThenClearErrorWithoutTheToken() throws IOException {
        Path twoWords = tokenFile("secret-one secret-two");

        assertThatExceptionOfType(StartupException.class)
                .isThrownBy(() -> DemoApiOptions.parse(new String[] {"--token-file=" + twoWords}, Map.of()))
                .withMessageContaining("single token")
                .withMessageNotContaining("secret-one");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--port=http", "--port=-1", "--port=65536"})
    void parseWhenPortInvalidThenClearError(String port) throws IOException {
        String[] args = {port, "--token-file=" + tokenFile(TOKEN)};

        assertThatExceptionOfType(StartupException.class)
                .isThrownBy(() -> DemoApiOptions.parse(args, Map.of()))
                .withMessageStartingWith("port must be a number from 0 to 65535");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--verbose", "--port", "port=9090"})
    void parseWhenUnknownArgumentThenClearError(String argument) {
        assertThatExceptionOfType(StartupException.class)
                .isThrownBy(() -> DemoApiOptions.parse(new String[] {argument}, Map.of()))
                .withMessageStartingWith("unknown argument")
                .withMessageContaining("--help");
    }

    @Test
    void toStringThenTokenRedacted() throws IOException {
        DemoApiOptions options = DemoApiOptions.parse(new String[] {"--token-file=" + tokenFile(TOKEN)}, Map.of());

        assertThat(options.toString()).doesNotContain(TOKEN).contains("***");
    }

    @Test
    void startWhenPortTakenThenClearError() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            DemoApiOptions options = DemoApiOptions.parse(
                    new String[] {"--port=" + taken.getLocalPort(), "--token-file=" + tokenFile(TOKEN)}, Map.of());

            assertThatExceptionOfType(StartupException.class)
                    .isThrownBy(() -> DemoApi.start(options))
                    .withMessageStartingWith("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    private Path tokenFile(String content) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "token", ".txt"), content);
    }
}
