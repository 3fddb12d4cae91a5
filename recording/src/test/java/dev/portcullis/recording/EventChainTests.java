package dev.portcullis.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class EventChainTests {

    private static final UUID SESSION = UUID.fromString("0e2a7c1d-3b4f-4c5d-8e6f-7a8b9c0d1e2f");

    @Test
    void appendWhenManyEventsThenEachLineIsTheWholeEventCanonicalizedAndTheChainVerifies() throws Exception {
        EventChain chain = new EventChain(SESSION);
        Random random = new Random(7);
        ChainVerifier verifier = new ChainVerifier();
        SessionEvent previous = null;
        List<byte[]> lines = new ArrayList<>();
        List<byte[]> copies = new ArrayList<>();
        long[] times = {0, 9, 10, 1_764_000_000_000_000L, Long.MAX_VALUE, -5, Long.MIN_VALUE};
        for (int i = 0; i < 60; i++) {
            Map<String, Object> payload = payload(random, i);
            String type = i == 0 ? EventTypes.SESSION_START : i % 2 == 0 ? EventTypes.HTTP_REQUEST : "x.\"odd\"\u00e9";
            long at = times[i % times.length];

            byte[] line = chain.append(type, at, EventChain.encode(payload));

            // What the line must be, written by the general encoder from the whole object, not from parts.
            Map<String, Object> covered = new LinkedHashMap<>();
            covered.put("type", type);
            covered.put("session", SESSION.toString());
            covered.put("seq", (long) i + 1);
            covered.put("prev", previous == null ? null : previous.hash());
            covered.put("payload", payload);
            covered.put("at", at);
            String hash = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(CanonicalJson.bytes(covered)));
            Map<String, Object> whole = new LinkedHashMap<>(covered);
            whole.put("prevHash", whole.remove("prev"));
            whole.put("hash", hash);
            assertThat(new String(line, StandardCharsets.UTF_8)).isEqualTo(CanonicalJson.write(whole) + "\n");
            assertThat(chain.lastSeq()).isEqualTo(i + 1);
            assertThat(chain.lastHash()).isEqualTo(hash);
            SessionEvent event = SessionEvent.next(previous, SESSION, type, at, payload);
            assertThat(event.toJson() + "\n").isEqualTo(new String(line, StandardCharsets.UTF_8));
            verifier.accept(event);
            lines.add(line);
            copies.add(line.clone());
            previous = event;
        }
        assertThat(verifier.finish(60L, previous.hash()).valid()).isTrue();
        // Each line is an array of its own: later events, larger ones included, leave earlier lines as they were.
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i)).isEqualTo(copies.get(i));
        }
    }

    @Test
    void appendWhenFirstEventThenPrevIsNullAndSameAsSessionEvent() {
        EventChain chain = new EventChain(SESSION);
        assertThat(chain.lastSeq()).isZero();
        assertThat(chain.lastHash()).isNull();

        byte[] line = chain.append(EventTypes.SESSION_START, 5L, EventChain.encode(Map.of("subject", "a")));

        assertThat(new String(line, StandardCharsets.UTF_8)).contains("\"prevHash\":null,\"seq\":1,");
        assertThat(chain.lastHash())
                .isEqualTo(SessionEvent.hash(SESSION, 1, EventTypes.SESSION_START, 5L, Map.of("subject", "a"), null));
    }

    @Test
    void appendWhenPayloadIsStaleOrFromAnotherThreadThenRefusedAndChainUnchanged() {
        EventChain chain = new EventChain(SESSION);
        EventChain.Payload first = EventChain.encode(Map.of("n", 1));
        EventChain.Payload second = EventChain.encode(Map.of("n", 2));

        assertThatIllegalStateException().isThrownBy(() -> chain.append("t", 1L, first));
        assertThat(chain.lastSeq()).isZero();

        EventChain.Payload elsewhere = CompletableFuture.supplyAsync(() -> EventChain.encode(Map.of("n", 3)))
                .join();
        assertThatIllegalStateException().isThrownBy(() -> chain.append("t", 1L, elsewhere));
        assertThat(chain.lastSeq()).isZero();

        chain.append("t", 1L, second);
        assertThat(chain.lastHash()).isEqualTo(SessionEvent.hash(SESSION, 1, "t", 1L, Map.of("n", 2), null));
        // Appended once, an encoding is spent: appending it again would chain the same payload twice.
        assertThatIllegalStateException().isThrownBy(() -> chain.append("t", 2L, second));
    }

    @Test
    void encodeWhenStringHoldsNulThenRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> EventChain.encode(Map.of("body", "a\0b")));
        // The six characters of an escape are text like any other: recorded as they are.
        EventChain.Payload text = EventChain.encode(Map.of("body", "a\\u0000b"));
        assertThat(new String(
                        text.sink().array(),
                        EventChain.HEAD_ROOM,
                        text.end() - EventChain.HEAD_ROOM,
                        java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"body\":\"a\\\\u0000b\"}");
    }

    private static Map<String, Object> payload(Random random, int i) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("path", "/customers/" + i + "/\"quoted\"\\back\tslash");
        payload.put("status", 200 + i);
        payload.put("bodySize", (long) i * 1_000_003L);
        payload.put("bodyTruncated", i % 3 == 0);
        payload.put("query", i % 4 == 0 ? null : "a=1&b=\u00fc\u4e2d\uD83D\uDE00");
        Map<String, Object> headers = new TreeMap<>();
        headers.put("accept", List.of("application/json", "text/plain"));
        headers.put("x-" + i, "v" + random.nextInt());
        payload.put("headers", headers);
        // Bodies from empty to larger than a thread's kept buffer, so that the buffer grows and is replaced.
        int size = i % 10 == 9 ? 300 * 1024 : random.nextInt(i % 5 == 0 ? 9000 : 200);
        StringBuilder body = new StringBuilder(size);
        for (int c = 0; c < size; c++) {
            body.append((char) (c % 97 == 0 ? '\n' : c % 89 == 0 ? '\u00e9' : 'a' + random.nextInt(26)));
        }
        payload.put("body", body.toString());
        return payload;
    }
}
