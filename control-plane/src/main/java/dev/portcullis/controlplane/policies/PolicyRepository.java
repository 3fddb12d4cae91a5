package dev.portcullis.controlplane.policies;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface PolicyRepository extends JpaRepository<PolicyEntity, UUID> {

    Optional<PolicyEntity> findByNameAndDeletedAtIsNull(String name);

    List<PolicyEntity> findAllByDeletedAtIsNullOrderByPriorityAscNameAsc();
}
