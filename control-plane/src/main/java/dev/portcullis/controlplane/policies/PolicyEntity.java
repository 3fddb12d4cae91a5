package dev.portcullis.controlplane.policies;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

@Entity
@Table(name = "policies")
class PolicyEntity {

    @Id
    private UUID id;

    @Column(nullable = false)
    private String name;

    @Column(name = "current_version", nullable = false)
    private int currentVersion;

    @Column(nullable = false)
    private int priority;

    @Column(name = "document_json", nullable = false)
    @ColumnTransformer(write = "?::jsonb")
    private String documentJson;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "created_by", nullable = false)
    private String createdBy;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "updated_by", nullable = false)
    private String updatedBy;

    @Column(name = "deleted_at")
    private Instant deletedAt;

    @Column(name = "deleted_by")
    private String deletedBy;

    @Version
    @Column(name = "row_version", nullable = false)
    private long rowVersion;

    protected PolicyEntity() {}

    PolicyEntity(UUID id, String name, Instant createdAt, String createdBy) {
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

    int getCurrentVersion() {
        return currentVersion;
    }

    int getPriority() {
        return priority;
    }

    String getDocumentJson() {
        return documentJson;
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

    void newVersion(int priority, String documentJson, Instant at, String by) {
        this.currentVersion++;
        this.priority = priority;
        this.documentJson = documentJson;
        this.updatedAt = at;
        this.updatedBy = by;
    }

    void markDeleted(Instant at, String by) {
        this.deletedAt = at;
        this.deletedBy = by;
    }
}
