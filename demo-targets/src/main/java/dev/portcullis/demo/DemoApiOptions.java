package dev.portcullis.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * How to run the API, from {@code --name=value} arguments, then environment variables, then defaults.
 *
 * @param bind the address to listen on; loopback unless told otherwise, because the API is meant to be reached
 *     through Portcullis only
 * @param port the port to listen on; 0 picks a free one
 * @param token the bearer token every request but {@code GET /health} must carry
 */
record DemoApiOptions(InetAddress bind, int port, BearerToken token) {

    static final int DEFAULT_PORT = 9090;

    static final String PORT_ENV = "DEMO_API_PORT";

    static final String BIND_ENV = "DEMO_API_BIND";

    static final String TOKEN_FILE_ENV = "DEMO_API_TOKEN_FILE";

    static final String USAGE = """
            Usage: java -jar demo-api.jar --token-file=PATH [--port=9090] [--bind=127.0.0.1]

              --token-file=PATH  file holding the bearer token the API requires (env DEMO_API_TOKEN_FILE)
              --port=N           port to listen on, 0 for any free one (env DEMO_API_PORT, default 9090)
              --bind=ADDRESS     address to listen on (env DEMO_API_BIND, default 127.0.0.1)
            """;

    static DemoApiOptions parse(String[] args, Map<String, String> env) {
        Map<String, String> given = new HashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg : arg.substring(0, equals);
            if (equals < 0 || !(name.equals("--port") || name.equals("--bind") || name.equals("--token-file"))) {
                throw new StartupException("unknown argument " + name + " (run with --help for usage)");
            }
            given.put(name, arg.substring(equals + 1));
        }
        String port = given.getOrDefault("--port", env.get(PORT_ENV));
        String bind = given.getOrDefault("--bind", env.get(BIND_ENV));
        String tokenFile = given.getOrDefault("--token-file", env.get(TOKEN_FILE_ENV));
        return new DemoApiOptions(address(bind), port(port), token(tokenFile));
    }

    private static InetAddress address(String value) {
        if (value == null || value.isBlank()) {
            return InetAddress.getLoopbackAddress();
        }
        try {
            return InetAddress.getByName(value.strip());
        } catch (UnknownHostException e) {
            throw new StartupException("cannot bind to " + value + ": unknown host", e);
        }
    }

    private static int port(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_PORT;
        }
        try {
            int port = Integer.parseInt(value.strip());
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // answered below, with the same message as an out-of-range port
        }
        throw new StartupException("port must be a number from 0 to 65535, not " + value);
    }

    private static BearerToken token(String file) {
        if (file == null || file.isBlank()) {
            throw new StartupException("no token file given: pass --token-file=PATH or set " + TOKEN_FILE_ENV
                    + " to a file holding the bearer token the API should require");
        }
        Path path = Path.of(file.strip());
        if (!Files.isRegularFile(path)) {
            throw new StartupException("token file " + path.toAbsolutePath() + " does not exist or is not a file");
        }
        String token;
        try {
            token = Files.readString(path, StandardCharsets.UTF_8).strip();
        } catch (CharacterCodingException e) {
            throw new StartupException("token file " + path.toAbsolutePath() + " is not UTF-8 text", e);
        } catch (IOException e) {
            throw new StartupException("cannot read token file " + path.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        if (token.isEmpty()) {
            throw new StartupException("token file " + path.toAbsolutePath() + " is empty");
        }
        if (token.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new StartupException("token file " + path.toAbsolutePath()
                    + " must hold a single token with no spaces or line breaks inside it");
        }
        return new BearerToken(token);
    }
}
