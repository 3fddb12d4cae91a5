package dev.portcullis.proxy.snapshot;

import dev.portcullis.proxy.controlplane.ControlPlaneClient;
import dev.portcullis.proxy.system.ProxyNode;
import dev.portcullis.proxy.system.ProxyProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps the snapshot current: a long poll that returns as soon as the control plane has a new version, retried with
 * backoff while the control plane is away (the last snapshot stays in force meanwhile); and the heartbeat.
 */
@Component
class SnapshotPoller implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SnapshotPoller.class);

    private final ControlPlaneClient client;

    private final SnapshotStore store;

    private final ProxyProperties properties;

    private final String nodeId;

    private final String version;

    private final Instant startedAt;

    private volatile boolean running;

    private Thread poller;

    private ScheduledExecutorService heartbeats;

    SnapshotPoller(ControlPlaneClient client, SnapshotStore store, ProxyProperties properties, ProxyNode node) {
        this.client = client;
        this.store = store;
        this.properties = properties;
        this.nodeId = node.id();
        this.version = node.version();
        this.startedAt = node.startedAt();
    }

    @Override
    public void start() {
        running = true;
        // The heartbeat executor exists before the poller, which hands it a beat on every new snapshot.
        heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = properties.heartbeatInterval().toMillis();
        heartbeats.scheduleWithFixedDelay(this::heartbeat, 0, every, TimeUnit.MILLISECONDS);
        poller = new Thread(this::poll, "snapshot-poller");
        poller.setDaemon(true);
        poller.start();
    }

    @Override
    public void stop() {
        running = false;
        if (poller != null) {
            poller.interrupt();
        }
        if (heartbeats != null) {
            heartbeats.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void poll() {
        Duration backoff = Duration.ofMillis(500);
        while (running) {
            try {
                ControlPlaneClient.SnapshotResponse response = client.snapshot(store.etag(), properties.pollWait());
                if (response.changed()) {
                    store.apply(response.body(), response.etag());
                    // The fleet view learns the new version now, not at the next scheduled heartbeat.
                    heartbeats.execute(this::heartbeat);
                }
                backoff = Duration.ofMillis(500);
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn(
                        "Policy snapshot not refreshed ({}); still enforcing version {}; retrying in {} ms",
                        e.getMessage(),
                        store.current() == null ? "none" : store.current().version(),
                        backoff.toMillis());
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0
                        ? Duration.ofSeconds(10)
                        : backoff.multipliedBy(2);
            }
        }
    }

    private void heartbeat() {
        try {
            Map<String, Object> beat = new LinkedHashMap<>();
            beat.put("id", nodeId);
            beat.put("version", version);
            beat.put("address", properties.controlPlaneUrl() == null ? null : nodeId);
            beat.put(
                    "snapshotVersion",
                    store.current() == null ? null : store.current().version());
            beat.put("startedAt", startedAt.toString());
            client.heartbeat(beat);
        } catch (RuntimeException e) {
            log.debug("Heartbeat failed: {}", e.getMessage());
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
