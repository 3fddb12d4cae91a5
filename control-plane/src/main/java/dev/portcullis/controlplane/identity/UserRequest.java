package dev.portcullis.controlplane.identity;

import java.util.List;

/** A new local user; without a password one is generated and returned once. */
public record UserRequest(String username, String password, String displayName, String email, List<String> groups) {

    @Override
    public String toString() {
        return "UserRequest[username=" + username + ", password=" + (password == null ? "null" : "***") + ", groups="
                + groups + "]";
    }
}
