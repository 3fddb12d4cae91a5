package dev.portcullis.controlplane.sessions;

import java.time.LocalDate;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Makes sure the day partition of {@code session_events} exists for a session's start day (UTC), asking the database
 * once per day per instance. Events whose day has no partition still land in the default partition and are moved
 * into the day's partition when it is created, so a failure here loses nothing.
 */
@Component
class EventPartitions {

    private static final Logger log = LoggerFactory.getLogger(EventPartitions.class);

    private final SessionStore store;

    private final Set<LocalDate> ensured = ConcurrentHashMap.newKeySet();

    EventPartitions(SessionStore store) {
        this.store = store;
    }

    void ensure(LocalDate day) {
        if (ensured.contains(day)) {
            return;
        }
        try {
            store.ensurePartition(day);
            ensured.add(day);
        } catch (RuntimeException e) {
            log.warn("Could not create the event partition: day={} problem={}", day, e.getMessage());
        }
    }

    /** Forgets a day whose partition was dropped. */
    void forget(LocalDate day) {
        ensured.remove(day);
    }
}
