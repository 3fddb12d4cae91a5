package dev.portcullis.demo;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The demo's stand-in for an internal service: a JSON API of 200 fake customers behind its own bearer token, on the
 * JDK's HTTP server. See the package documentation for its routes.
 *
 * <p>Run it with {@code java -jar demo-api.jar --token-file=PATH [--port=9090] [--bind=127.0.0.1]}; tests start it
 * with {@link #start(int, String)}. Each instance holds its own customers, so deletes in one do not show in another.
 */
public final class DemoApi {

    private static final int WORKER_THREADS = 8;

    private static final Logger LOG = System.getLogger(DemoApi.class.getName());

    private final HttpServer server;

    private final ExecutorService workers;

    private final DemoApiHandler handler;

    private final AtomicBoolean stopped = new AtomicBoolean();

    private DemoApi(HttpServer server, ExecutorService workers, DemoApiHandler handler) {
        this.server = server;
        this.workers = workers;
        this.handler = handler;
    }

    /**
     * Starts the API on the loopback address.
     *
     * @param port the port, or 0 for a free one (see {@link #port()})
     * @param token the bearer token requests must carry
     * @return the running API
     * @throws IllegalArgumentException if the token is blank
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static DemoApi start(int port, String token) {
        return start(InetAddress.getLoopbackAddress(), port, new BearerToken(token));
    }

    static DemoApi start(DemoApiOptions options) {
        try {
            return start(options.bind(), options.port(), options.token());
        } catch (UncheckedIOException e) {
            throw new StartupException(
                    "cannot listen on " + options.bind().getHostAddress() + ":" + options.port() + ": "
                            + e.getCause().getMessage(),
                    e);
        }
    }

    private static DemoApi start(InetAddress bind, int port, BearerToken token) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(bind, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DemoApiHandler handler = new DemoApiHandler(token, new CustomerStore(FakeCustomers.generate()));
        ExecutorService workers = Executors.newFixedThreadPool(WORKER_THREADS, workerThreads());
        server.createContext("/", handler);
        server.setExecutor(workers);
        server.start();
        DemoApi api = new DemoApi(server, workers, handler);
        LOG.log(
                Level.INFO,
                "demo-api listening address=http://{0}:{1,number,#} customers={2}",
                bind.getHostAddress(),
                api.port(),
                handler.customers().size());
        return api;
    }

    /** The port the API listens on; the one chosen by the system if it was started on port 0. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** How many customers have been deleted since the API started. */
    public int deleteCount() {
        return handler.customers().deletedCount();
    }

    /** Stops listening and lets the worker threads go; calling it again does nothing. */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        workers.shutdown();
        try {
            if (!workers.awaitTermination(2, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        LOG.log(Level.INFO, "demo-api stopped requests={0}", handler.requestCount());
    }

    /**
     * Runs the API until the process is stopped. Exits with status 2 and a one-line reason if it cannot start.
     *
     * @param args {@code --token-file=PATH}, {@code --port=N}, {@code --bind=ADDRESS}, or {@code --help}
     */
    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(DemoApiOptions.USAGE);
            return;
        }
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            // One line per event instead of java.util.logging's two.
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s %5$s%6$s%n");
        }
        DemoApi api;
        try {
            api = start(DemoApiOptions.parse(args, System.getenv()));
        } catch (StartupException e) {
            System.err.println("demo-api: " + e.getMessage());
            System.exit(2);
            return;
        }
        // The server's dispatcher thread keeps the JVM alive; this lets Ctrl-C or SIGTERM stop it cleanly.
        Runtime.getRuntime().addShutdownHook(new Thread(api::stop, "demo-api-shutdown"));
    }

    private static ThreadFactory workerThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "demo-api-worker-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
