package dev.portcullis.controlplane.connections;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "connections")
class ConnectionEntity {

    @Id
    private UUID id;

    @Column(nullable = false, unique = true)
    private String name;

    @Column(nullable = false)
    private String type;

    @Column(nullable = false)
    private String target;

    private String description;

    @Column(name = "credential_kind")
    private String credentialKind;

    @Column(name = "credential_ciphertext")
    private byte[] credentialCiphertext;

    @Column(name = "credential_key_id")
    private String credentialKeyId;

    @Column(name = "allowed_groups", nullable = false)
    private String[] allowedGroups;

    @Column(nullable = false)
    private String[] tags;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "created_by", nullable = false)
    private String createdBy;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "updated_by", nullable = false)
    private String updatedBy;

    @Version
    @Column(name = "row_version", nullable = false)
    private long rowVersion;

    protected ConnectionEntity() {}

    ConnectionEntity(UUID id, String name, Instant createdAt, String createdBy) {
        this.id = id;
        this.name = name;
        this.createdAt = createdAt;
        this.createdBy = createdBy;
        this.updatedAt = createdAt;
        this.updatedBy = createdBy;
    }

    UUID getId() {
        return id;
    }

    String getName() {
        return name;
    }

    String getType() {
        return type;
    }

    void setType(String type) {
        this.type = type;
    }

    String getTarget() {
        return target;
    }

    void setTarget(String target) {
        this.target = target;
    }

    String getDescription() {
        return description;
    }

    void setDescription(String description) {
        this.description = description;
    }

    String getCredentialKind() {
        return credentialKind;
    }

    byte[] getCredentialCiphertext() {
        return credentialCiphertext;
    }

    String getCredentialKeyId() {
        return credentialKeyId;
    }

    void setCredential(String kind, byte[] ciphertext, String keyId) {
        this.credentialKind = kind;
        this.credentialCiphertext = ciphertext;
        this.credentialKeyId = keyId;
    }

    String[] getAllowedGroups() {
        return allowedGroups;
    }

    void setAllowedGroups(String[] allowedGroups) {
        this.allowedGroups = allowedGroups;
    }

    String[] getTags() {
        return tags;
    }

    void setTags(String[] tags) {
        this.tags = tags;
    }

    Instant getCreatedAt() {
        return createdAt;
    }

    String getCreatedBy() {
        return createdBy;
    }

    Instant getUpdatedAt() {
        return updatedAt;
    }

    String getUpdatedBy() {
        return updatedBy;
    }

    void touch(Instant at, String by) {
        this.updatedAt = at;
        this.updatedBy = by;
    }

    @Override
    public String toString() {
        return "ConnectionEntity[id=" + id + ", name=" + name + ", type=" + type + ", credentialKind=" + credentialKind
                + "]";
    }
}
