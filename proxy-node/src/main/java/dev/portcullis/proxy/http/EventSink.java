package dev.portcullis.proxy.http;

import java.util.Map;

/** Where the filters write the events of the exchange's session; absent when the exchange has no session. */
@FunctionalInterface
interface EventSink {

    /** Appends an event of the given type to the session; never blocks. */
    void record(String type, Map<String, Object> payload);
}
