package dev.portcullis.controlplane.identity;

/** The answer to creating a user: the generated password, if one was generated, is shown this once. */
public record CreatedUser(UserView user, String generatedPassword) {

    @Override
    public String toString() {
        return "CreatedUser[user=" + user + ", generatedPassword=" + (generatedPassword == null ? "null" : "***") + "]";
    }
}
