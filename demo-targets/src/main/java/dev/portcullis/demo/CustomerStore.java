package dev.portcullis.demo;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The customers still there, in id order, and how many were deleted. Safe for the server's worker threads. */
final class CustomerStore {

    private final ConcurrentNavigableMap<Long, Customer> customers = new ConcurrentSkipListMap<>();

    private final AtomicInteger deleted = new AtomicInteger();

    CustomerStore(List<Customer> initial) {
        initial.forEach(customer -> customers.put(customer.id(), customer));
    }

    List<Customer> list(int limit) {
        return customers.values().stream().limit(limit).toList();
    }

    Optional<Customer> find(long id) {
        return Optional.ofNullable(customers.get(id));
    }

    /** Removes a customer; {@code false} if there was none, so two concurrent deletes count once. */
    boolean delete(long id) {
        boolean removed = customers.remove(id) != null;
        if (removed) {
            deleted.incrementAndGet();
        }
        return removed;
    }

    int size() {
        return customers.size();
    }

    int deletedCount() {
        return deleted.get();
    }
}
