package dev.portcullis.controlplane.sessions;

import dev.portcullis.controlplane.system.PortcullisProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Where proxy nodes deliver session events, in batches. */
@RestController
class ProxyEventController {

    private final SessionIngest ingest;

    private final EventBatchReader reader;

    ProxyEventController(SessionIngest ingest, PortcullisProperties properties) {
        this.ingest = ingest;
        this.reader = new EventBatchReader(
                properties.sessions().maxBatch(),
                properties.sessions().maxBatchSize().toBytes());
    }

    /** The body is read here, as it streams, so the limits hold before anything is buffered whole. */
    @PostMapping("/api/v1/proxy/events")
    IngestResult events(HttpServletRequest request) throws IOException {
        EventBatchReader.Batch batch = reader.read(request.getInputStream(), request.getContentLengthLong());
        return ingest.ingest(batch.proxyNode(), batch.events());
    }
}
