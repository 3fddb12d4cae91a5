package dev.portcullis.controlplane.identity;

import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Users, service accounts and the issuer's signing keys, for admins. */
@RestController
@RequestMapping("/api/v1")
class IdentityController {

    private final UserAccounts users;

    private final ServiceAccounts serviceAccounts;

    private final ObjectProvider<SigningKeys> signingKeys;

    IdentityController(UserAccounts users, ServiceAccounts serviceAccounts, ObjectProvider<SigningKeys> signingKeys) {
        this.users = users;
        this.serviceAccounts = serviceAccounts;
        this.signingKeys = signingKeys;
    }

    @GetMapping("/users")
    List<UserView> users() {
        return users.list();
    }

    @GetMapping("/users/{name}")
    UserView user(@PathVariable String name) {
        return users.get(name);
    }

    @PostMapping("/users")
    ResponseEntity<CreatedUser> createUser(@RequestBody UserRequest request, Principal principal) {
        CreatedUser created = users.create(request, principal.getName());
        return ResponseEntity.created(
                        URI.create("/api/v1/users/" + created.user().username()))
                .body(created);
    }

    @PostMapping("/users/{name}/disable")
    UserView disableUser(@PathVariable String name, Principal principal) {
        return users.disable(name, principal.getName());
    }

    @PostMapping("/users/{name}/enable")
    UserView enableUser(@PathVariable String name) {
        return users.enable(name);
    }

    @GetMapping("/service-accounts")
    List<ServiceAccountView> serviceAccounts() {
        return serviceAccounts.list();
    }

    @GetMapping("/service-accounts/{name}")
    ServiceAccountView serviceAccount(@PathVariable String name) {
        return serviceAccounts.get(name);
    }

    @PostMapping("/service-accounts")
    ResponseEntity<ServiceAccountSecret> createServiceAccount(
            @RequestBody ServiceAccountRequest request, Principal principal) {
        ServiceAccountSecret created = serviceAccounts.create(request, principal.getName());
        return ResponseEntity.created(URI.create("/api/v1/service-accounts/" + created.clientId()))
                .body(created);
    }

    @PostMapping("/service-accounts/{name}/disable")
    ServiceAccountView disableServiceAccount(@PathVariable String name, Principal principal) {
        return serviceAccounts.disable(name, principal.getName());
    }

    @PostMapping("/service-accounts/{name}/enable")
    ServiceAccountView enableServiceAccount(@PathVariable String name) {
        return serviceAccounts.enable(name);
    }

    @PostMapping("/service-accounts/{name}/rotate-secret")
    ServiceAccountSecret rotateSecret(@PathVariable String name) {
        return serviceAccounts.rotateSecret(name);
    }

    @PostMapping("/signing-keys/rotate")
    ResponseEntity<Map<String, String>> rotateSigningKey() {
        SigningKeys keys = signingKeys.getIfAvailable();
        if (keys == null) {
            return ResponseEntity.status(409)
                    .body(Map.of("detail", "An external issuer signs tokens; rotate keys there"));
        }
        return ResponseEntity.ok(Map.of("kid", keys.rotate()));
    }
}
