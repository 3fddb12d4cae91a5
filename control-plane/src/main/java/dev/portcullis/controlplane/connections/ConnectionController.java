package dev.portcullis.controlplane.connections;

import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/connections")
class ConnectionController {

    private final ConnectionService connections;

    ConnectionController(ConnectionService connections) {
        this.connections = connections;
    }

    @GetMapping
    List<ConnectionView> list() {
        return connections.list();
    }

    @GetMapping("/{name}")
    ConnectionView get(@PathVariable String name) {
        return connections.get(name);
    }

    @PostMapping
    ResponseEntity<ConnectionView> create(@RequestBody ConnectionRequest request) {
        ConnectionView created = connections.create(request);
        return ResponseEntity.created(URI.create("/api/v1/connections/" + created.name()))
                .body(created);
    }

    @PutMapping("/{name}")
    ConnectionView update(@PathVariable String name, @RequestBody ConnectionRequest request) {
        return connections.update(name, request);
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String name) {
        connections.delete(name);
    }
}
