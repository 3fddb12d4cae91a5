package dev.portcullis.controlplane.connections;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface ConnectionRepository extends JpaRepository<ConnectionEntity, UUID> {

    Optional<ConnectionEntity> findByName(String name);

    boolean existsByName(String name);

    List<ConnectionEntity> findAllByOrderByNameAsc();
}
