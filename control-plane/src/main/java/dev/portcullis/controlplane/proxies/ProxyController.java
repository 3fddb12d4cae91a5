package dev.portcullis.controlplane.proxies;

import dev.portcullis.controlplane.connections.ConnectionService;
import dev.portcullis.policy.connection.Credentials;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** What proxy nodes call besides the snapshot: a connection's credential, just in time, and their heartbeat. */
@RestController
class ProxyController {

    private static final Logger log = LoggerFactory.getLogger(ProxyController.class);

    private final ConnectionService connections;

    private final ProxyNodes nodes;

    ProxyController(ConnectionService connections, ProxyNodes nodes) {
        this.connections = connections;
        this.nodes = nodes;
    }

    /** The decrypted credential of a connection, for the proxy to inject; never cached by anything in between. */
    @GetMapping("/api/v1/proxy/connections/{name}/credential")
    ResponseEntity<Map<String, Object>> credential(@PathVariable String name, java.security.Principal proxy) {
        Map<String, Object> credential = Credentials.toMap(connections.credentialOf(name));
        log.debug("Credential handed out: connection={} proxy={}", name, proxy.getName());
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(credential);
    }

    @PostMapping("/api/v1/proxy/heartbeat")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void heartbeat(@RequestBody Heartbeat heartbeat) {
        nodes.heartbeat(heartbeat);
    }

    @GetMapping("/api/v1/proxy-nodes")
    List<ProxyNodeView> fleet() {
        return nodes.list();
    }
}
