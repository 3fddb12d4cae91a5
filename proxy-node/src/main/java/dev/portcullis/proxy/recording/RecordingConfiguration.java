package dev.portcullis.proxy.recording;

import dev.portcullis.proxy.controlplane.ControlPlaneClient;
import dev.portcullis.proxy.system.ProxyNode;
import dev.portcullis.proxy.system.ProxyProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class RecordingConfiguration {

    @Bean
    SessionRecorder sessionRecorder(
            ProxyProperties properties, ControlPlaneClient client, MeterRegistry meters, ProxyNode node) {
        ProxyProperties.Recording recording = properties.recording();
        Clock clock = Clock.systemUTC();
        if (!recording.enabled()) {
            return new SessionRecorder(null, null, recording.sessionIdle(), clock, meters);
        }
        EventSpool spool = EventSpool.open(
                properties.spoolDirectory(),
                recording.spoolMaxBytes().toBytes(),
                recording.spoolCommitInterval(),
                clock,
                meters);
        EventDelivery delivery = new EventDelivery(
                spool,
                client::postEvents,
                node.id(),
                recording.batchSize(),
                recording.retryMin(),
                recording.retryMax(),
                recording.deliveryLinger(),
                meters);
        return new SessionRecorder(spool, delivery, recording.sessionIdle(), clock, meters);
    }
}
