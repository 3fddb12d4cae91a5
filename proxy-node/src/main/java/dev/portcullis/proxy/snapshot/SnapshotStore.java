package dev.portcullis.proxy.snapshot;

import dev.portcullis.proxy.system.ProxyProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The snapshot this node enforces, kept on local disk so that a restart while the control plane is away still
 * enforces the last policy. Until a snapshot exists, {@link #current()} is {@code null} and every request is refused.
 */
@Component
public class SnapshotStore {

    private static final Logger log = LoggerFactory.getLogger(SnapshotStore.class);

    private final AtomicReference<CompiledSnapshot> current = new AtomicReference<>();

    private final Path file;

    private final JsonMapper json;

    private volatile String etag;

    SnapshotStore(ProxyProperties properties, JsonMapper json) {
        this.file = properties.snapshotFile();
        this.json = json;
        loadFromDisk();
    }

    /** The snapshot in force, or {@code null} before the first one. */
    public CompiledSnapshot current() {
        return current.get();
    }

    /** The ETag of the snapshot in force, for the next long poll. */
    public String etag() {
        return etag;
    }

    /** Compiles and persists a new snapshot, then puts it in force. A document that does not compile changes nothing. */
    public void apply(String document, String newEtag) {
        CompiledSnapshot compiled = CompiledSnapshot.parse(document, json);
        persist(document);
        current.set(compiled);
        etag = newEtag != null ? newEtag : "\"" + compiled.version() + "\"";
        log.info("Enforcing policy snapshot version={}", compiled.version());
    }

    private void loadFromDisk() {
        if (!Files.exists(file)) {
            log.warn("No policy snapshot on disk ({}): refusing all traffic until the control plane sends one", file);
            return;
        }
        try {
            CompiledSnapshot compiled = CompiledSnapshot.parse(Files.readString(file, StandardCharsets.UTF_8), json);
            current.set(compiled);
            etag = "\"" + compiled.version() + "\"";
            log.info("Loaded policy snapshot version={} from {}", compiled.version(), file);
        } catch (IOException | RuntimeException e) {
            log.error(
                    "The policy snapshot on disk ({}) cannot be used; refusing all traffic until a new one arrives",
                    file,
                    e);
        }
    }

    private void persist(String document) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, document, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // Enforcing the new policy matters more than keeping a copy; say so loudly.
            log.error("Could not keep the policy snapshot on disk at {}", file, e);
        }
    }
}
