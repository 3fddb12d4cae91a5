package dev.portcullis.controlplane.system;

import java.util.List;
import org.springframework.data.domain.Page;

/** A page of results in the API: the items and where they sit in the whole. */
public record PageView<T>(List<T> items, int page, int size, long totalItems, int totalPages) {

    public static <T> PageView<T> of(Page<T> page) {
        return new PageView<>(
                page.getContent(), page.getNumber(), page.getSize(), page.getTotalElements(), page.getTotalPages());
    }
}
