package dev.portcullis.controlplane.policies;

import dev.portcullis.controlplane.policies.PolicyService.Format;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Policies are accepted as JSON or YAML (the same document); the body is read as text and parsed by the engine. */
@RestController
@RequestMapping("/api/v1/policies")
class PolicyController {

    static final String YAML = "application/yaml";

    private final PolicyService policies;

    PolicyController(PolicyService policies) {
        this.policies = policies;
    }

    @GetMapping
    List<PolicyView> list() {
        return policies.list();
    }

    @GetMapping(value = "/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
    PolicyView get(@PathVariable String name) {
        return policies.get(name);
    }

    @GetMapping(
            value = "/{name}",
            produces = {YAML, "application/x-yaml", "text/yaml"})
    ResponseEntity<String> getYaml(@PathVariable String name) {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(YAML)).body(policies.yaml(name));
    }

    @GetMapping("/{name}/versions")
    List<PolicyVersionView> versions(@PathVariable String name) {
        return policies.versions(name);
    }

    @PostMapping(consumes = {MediaType.APPLICATION_JSON_VALUE, YAML, "application/x-yaml", "text/yaml", "text/plain"})
    ResponseEntity<PolicyView> create(
            @RequestBody String body, @RequestHeader(HttpHeaders.CONTENT_TYPE) String contentType) {
        PolicyView created = policies.create(body, format(contentType));
        return ResponseEntity.created(URI.create("/api/v1/policies/" + created.name()))
                .body(created);
    }

    @PutMapping(
            value = "/{name}",
            consumes = {MediaType.APPLICATION_JSON_VALUE, YAML, "application/x-yaml", "text/yaml", "text/plain"})
    PolicyView update(
            @PathVariable String name,
            @RequestBody String body,
            @RequestHeader(HttpHeaders.CONTENT_TYPE) String contentType) {
        return policies.update(name, body, format(contentType));
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String name) {
        policies.delete(name);
    }

    private static Format format(String contentType) {
        return contentType != null && contentType.toLowerCase().contains("json") ? Format.JSON : Format.YAML;
    }
}
