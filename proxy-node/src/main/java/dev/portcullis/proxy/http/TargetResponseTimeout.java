package dev.portcullis.proxy.http;

import io.netty.channel.Channel;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.stereotype.Component;
import reactor.netty.http.client.HttpClient;

/**
 * How long a target may take to answer ({@code spring.cloud.gateway.server.webflux.httpclient.response-timeout}): from
 * the request sent to the response's status and headers, then a 504 ({@link EntryFilter}). The same bound as the
 * gateway's own response timeout, kept on the connection's event loop: the gateway's arms a timer on a shared
 * scheduler for every request, and cancels it from another thread, which costs a proxied request more than the rest of
 * its timing. The gateway's own is switched off on the route ({@code response-timeout: -1} in its metadata).
 *
 * <p>A body that follows the headers is not timed: a Kubernetes watch or a followed log may stay quiet for minutes.
 */
@Component
class TargetResponseTimeout implements HttpClientCustomizer {

    private static final AttributeKey<Timer> TIMER = AttributeKey.valueOf("portcullis.targetResponseTimer");

    private final Duration timeout;

    TargetResponseTimeout(HttpClientProperties gateway) {
        this.timeout = gateway.getResponseTimeout();
    }

    @Override
    public HttpClient customize(HttpClient client) {
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            return client;
        }
        long nanos = timeout.toNanos();
        return client.doOnRequest((request, connection) -> Timer.start(connection.channel(), nanos))
                .doOnResponse((response, connection) -> Timer.stop(connection.channel()));
    }

    /** One request's timer; a connection holds the timer of the request it is carrying, if any. */
    private static final class Timer implements Runnable {

        private final Channel channel;

        private ScheduledFuture<?> future;

        private Timer(Channel channel) {
            this.channel = channel;
        }

        static void start(Channel channel, long nanos) {
            Timer timer = new Timer(channel);
            // Scheduled on the connection's own event loop, where its I/O and this request's callbacks run.
            timer.future = channel.eventLoop().schedule(timer, nanos, TimeUnit.NANOSECONDS);
            Timer previous = channel.attr(TIMER).getAndSet(timer);
            if (previous != null) {
                previous.future.cancel(false);
            }
        }

        static void stop(Channel channel) {
            Timer timer = channel.attr(TIMER).getAndSet(null);
            if (timer != null) {
                timer.future.cancel(false);
            }
        }

        @Override
        public void run() {
            // Only the request this connection still carries times out: a timer left from an earlier one does nothing.
            if (channel.attr(TIMER).compareAndSet(this, null) && channel.isActive()) {
                // As Netty's read timeout does: the response fails with ReadTimeoutException, and the connection,
                // mid-exchange, is not used again.
                channel.pipeline().fireExceptionCaught(ReadTimeoutException.INSTANCE);
                channel.close();
            }
        }
    }
}
