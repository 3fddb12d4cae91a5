package dev.portcullis.proxy.reviews;

import dev.portcullis.proxy.system.ProxyNode;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * At start-up, tells the control plane that the requests an earlier process of this node was holding for review are
 * gone: their callers got an error when it stopped. The reviews stay decidable (an approval still lets the caller
 * retry once) and are marked orphaned. Retries in the background until the control plane answers.
 */
@Component
class ReviewOrphans implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReviewOrphans.class);

    private final ReviewClient reviews;

    private final ProxyNode node;

    private volatile Thread thread;

    ReviewOrphans(ReviewClient reviews, ProxyNode node) {
        this.reviews = reviews;
        this.node = node;
    }

    @Override
    public void start() {
        Thread t = new Thread(this::run, "review-orphans");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private void run() {
        Duration backoff = Duration.ofMillis(500);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                int orphaned = reviews.orphan(node.id(), node.startedAt());
                if (orphaned > 0) {
                    log.info(
                            "Marked {} reviews held by an earlier process of node {} as orphaned", orphaned, node.id());
                }
                return;
            } catch (RuntimeException e) {
                log.debug("Cannot mark orphaned reviews yet: {}", e.getMessage());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0
                        ? Duration.ofSeconds(30)
                        : backoff.multipliedBy(2);
            }
        }
    }

    @Override
    public void stop() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        Thread t = thread;
        return t != null && t.isAlive();
    }
}
