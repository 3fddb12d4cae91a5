package dev.portcullis.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged {@code demo-api.jar} the way the demo does: {@code java -jar}, in its own process. */
class DemoApiJarIntegrationTests {

    private static final String TOKEN = "jar-test-token-81d0";

    private static final Pattern LISTENING =
            Pattern.compile("demo-api listening address=http://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    @Test
    void javaJarThenServesCustomersBehindTokenAndNeverLogsIt() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        Process process = java("-jar", jar(), "--port=0", "--token-file=" + tokenFile);
        List<String> output = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread pump = new Thread(() -> pump(process, output, port), "demo-api-output");
        pump.start();
        try {
            HttpClient client =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI base = URI.create("http://127.0.0.1:" + port.get(30, TimeUnit.SECONDS));

            assertThat(client.send(
                                    HttpRequest.newBuilder(base.resolve("/health"))
                                            .build(),
                                    BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
            assertThat(client.send(
                                    HttpRequest.newBuilder(base.resolve("/customers"))
                                            .build(),
                                    BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(401);
            var customers = client.send(
                    HttpRequest.newBuilder(base.resolve("/customers?limit=3"))
                            .header("Authorization", "Bearer " + TOKEN)
                            .build(),
                    BodyHandlers.ofString());
            assertThat(customers.statusCode()).isEqualTo(200);
            assertThat(customers.body()).startsWith("[{\"id\":1,").contains("\"card_number\":\"4");
            awaitLine(output, "request method=GET path=/customers status=200");
        } finally {
            process.destroy();
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            pump.join(10_000);
        }
        assertThat(output).anyMatch(line -> line.contains("request method=GET path=/customers status=401"));
        assertThat(output).noneMatch(line -> line.contains(TOKEN));
    }

    @Test
    void javaJarWhenTokenFileMissingThenExitsWithClearMessage() throws Exception {
        Path missing = dir.resolve("no-such-token");
        Process process = java("-jar", jar(), "--port=0", "--token-file=" + missing);

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("demo-api: token file " + missing.toAbsolutePath() + " does not exist or is not a file\n");
    }

    @Test
    void javaJarWhenHelpThenUsage() throws Exception {
        Process process = java("-jar", jar(), "--help");

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .startsWith("Usage: java -jar demo-api.jar --token-file=PATH");
    }

    /** Reads the API's output (log lines included) as it comes, and notes the port once it says it listens. */
    private static void pump(Process process, List<String> output, CompletableFuture<Integer> port) {
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.add(line);
                Matcher matcher = LISTENING.matcher(line);
                if (matcher.find()) {
                    port.complete(Integer.parseInt(matcher.group(1)));
                }
            }
        } catch (IOException e) {
            // The stream closes when the process is destroyed.
        }
        port.completeExceptionally(new IllegalStateException("demo-api exited before listening: " + output));
    }

    private static void awaitLine(List<String> output, String fragment) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (output.stream().noneMatch(line -> line.contains(fragment))) {
            assertThat(System.nanoTime())
                    .as("time left to log %s; output %s", fragment, output)
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static String jar() {
        String jar = System.getProperty("demo-api.jar", "target/demo-api.jar");
        assertThat(Path.of(jar)).as("the packaged jar").isRegularFile();
        return jar;
    }

    private static Process java(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(args));
        // Drop the variables the API reads so that only the arguments given here count.
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("DEMO_API_"));
        return builder.start();
    }
}
