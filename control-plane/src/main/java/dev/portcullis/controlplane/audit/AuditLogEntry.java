package dev.portcullis.controlplane.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

@Entity
@Table(name = "audit_log")
class AuditLogEntry {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "occurred_at", nullable = false)
    private Instant occurredAt;

    @Column(nullable = false)
    private String actor;

    @Column(nullable = false)
    private String action;

    @Column(name = "resource_type", nullable = false)
    private String resourceType;

    @Column(name = "resource_name")
    private String resourceName;

    @Column(name = "before_state")
    @ColumnTransformer(write = "?::jsonb")
    private String beforeState;

    @Column(name = "after_state")
    @ColumnTransformer(write = "?::jsonb")
    private String afterState;

    private String detail;

    @Column(name = "remote_addr")
    private String remoteAddr;

    protected AuditLogEntry() {}

    AuditLogEntry(
            Instant occurredAt,
            String actor,
            String action,
            String resourceType,
            String resourceName,
            String beforeState,
            String afterState,
            String detail,
            String remoteAddr) {
        this.occurredAt = occurredAt;
        this.actor = actor;
        this.action = action;
        this.resourceType = resourceType;
        this.resourceName = resourceName;
        this.beforeState = beforeState;
        this.afterState = afterState;
        this.detail = detail;
        this.remoteAddr = remoteAddr;
    }

    Long getId() {
        return id;
    }

    Instant getOccurredAt() {
        return occurredAt;
    }

    String getActor() {
        return actor;
    }

    String getAction() {
        return action;
    }

    String getResourceType() {
        return resourceType;
    }

    String getResourceName() {
        return resourceName;
    }

    String getBeforeState() {
        return beforeState;
    }

    String getAfterState() {
        return afterState;
    }

    String getDetail() {
        return detail;
    }

    String getRemoteAddr() {
        return remoteAddr;
    }
}
