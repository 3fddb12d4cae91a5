package dev.portcullis.controlplane.sessions;

import dev.portcullis.controlplane.system.ApiException;
import dev.portcullis.recording.SessionEvent;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads {@code {"proxyNode": "…", "events": [ … ]}} as it streams in, stopping at the first event over the batch limit
 * or the first byte over the size limit. Floats are read as {@link java.math.BigDecimal} so that a payload re-hashes
 * exactly as the proxy hashed it.
 */
final class EventBatchReader {

    /** A batch as read: the sending node and its events, not yet checked against their hashes. */
    record Batch(String proxyNode, List<SessionEvent> events) {}

    /** The JSON numbers of a payload keep every digit. */
    static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // Events are read one by one out of the batch's array: what follows each is the rest of the batch.
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final int maxEvents;

    private final long maxBytes;

    EventBatchReader(int maxEvents, long maxBytes) {
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
    }

    Batch read(InputStream body, long contentLength) {
        if (contentLength > maxBytes) {
            throw tooLargeBody();
        }
        String proxyNode = null;
        List<SessionEvent> events = null;
        try (JsonParser parser = JSON.createParser(new Limited(body, maxBytes))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw invalid("", "the body is a JSON object {\"proxyNode\": …, \"events\": […]}");
            }
            String name;
            while ((name = parser.nextName()) != null) {
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "proxyNode" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            throw invalid("proxyNode", "must be a string");
                        }
                        proxyNode = parser.getString();
                    }
                    case "events" -> events = readEvents(parser, value);
                    default -> parser.skipChildren();
                }
            }
        } catch (JacksonException e) {
            if (e.getCause() instanceof TooLargeBody) {
                throw tooLargeBody();
            }
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            // Jackson's message may quote the input: say where, not what.
            String message = "The request body is not valid JSON" + (line > 0 ? " (line " + line + ")" : "");
            throw new ApiException.Invalid(
                    message,
                    List.of(new ApiException.Problem(
                            "",
                            line > 0 ? line : null,
                            line > 0 ? e.getLocation().getColumnNr() : null,
                            message)));
        }
        if (proxyNode == null || proxyNode.isBlank() || proxyNode.length() > 255) {
            throw invalid("proxyNode", "the sending node's name (1-255 characters) is required");
        }
        if (events == null) {
            throw invalid("events", "an array of events is required");
        }
        return new Batch(proxyNode, events);
    }

    private List<SessionEvent> readEvents(JsonParser parser, JsonToken start) {
        if (start != JsonToken.START_ARRAY) {
            throw invalid("events", "must be an array");
        }
        List<SessionEvent> events = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (events.size() == maxEvents) {
                throw new ApiException.TooLarge(
                        "A batch carries at most " + maxEvents + " events (portcullis.sessions.max-batch)");
            }
            String path = "events[" + events.size() + "]";
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw invalid(path, "an event is a JSON object");
            }
            Map<String, Object> json = JSON.readValue(parser, MAP);
            events.add(toEvent(path, json));
        }
        return events;
    }

    private static SessionEvent toEvent(String path, Map<String, Object> json) {
        SessionEvent event;
        try {
            event = SessionEvent.fromMap(json);
        } catch (IllegalArgumentException e) {
            throw invalid(path, e.getMessage());
        }
        if (!isHash(event.hash())) {
            throw invalid(path + ".hash", "must be 64 lower-case hex digits");
        }
        if (event.prevHash() != null && !isHash(event.prevHash())) {
            throw invalid(path + ".prevHash", "must be 64 lower-case hex digits or null");
        }
        if (event.type().length() > 64) {
            throw invalid(path + ".type", "must be at most 64 characters");
        }
        return event;
    }

    /** 64 lower-case hex digits (a loop: a regex here showed in profiles of ingest). */
    private static boolean isHash(String value) {
        if (value.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static ApiException.Invalid invalid(String path, String message) {
        return new ApiException.Invalid(
                path.isEmpty() ? message : path + ": " + message,
                List.of(new ApiException.Problem(path, null, null, message)));
    }

    private ApiException.TooLarge tooLargeBody() {
        return new ApiException.TooLarge(
                "A batch body is at most " + maxBytes + " bytes (portcullis.sessions.max-batch-size)");
    }

    /** Thrown by the stream once the body passes the limit. */
    private static final class TooLargeBody extends IOException {
        TooLargeBody() {
            super("body too large");
        }
    }

    /** Counts bytes and fails past a limit, so an endless body is never read into memory. */
    private static final class Limited extends FilterInputStream {

        private final long max;

        private long read;

        Limited(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            read += n;
            if (read > max) {
                throw new TooLargeBody();
            }
        }
    }
}
