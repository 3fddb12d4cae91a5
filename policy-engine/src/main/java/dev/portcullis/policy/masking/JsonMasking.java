package dev.portcullis.policy.masking;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamWriteException;
import tools.jackson.core.exc.UnexpectedEndOfInputException;

/**
 * One JSON body copied token by token from parser to generator, masking scalars on the way. No tree is built: memory
 * stays at the parser's buffers and one path entry per level of nesting, whatever the size of the body.
 */
final class JsonMasking {

    /** Integers of these lengths may be card numbers written as JSON numbers. */
    private static final int MIN_CARD_DIGITS = 13;

    private static final int MAX_CARD_DIGITS = 19;

    private final Masker masker;
    private final FieldRules fields;
    private final boolean cardsInNumbers;

    /** The path of the current value: field names, {@code null} for array elements. Index = depth - 1. */
    private String[] path = new String[16];
    /** Per open container: whether it sits under a masked field, and whether it is an array. */
    private boolean[] masked = new boolean[16];

    private boolean[] array = new boolean[16];
    private int depth;
    private boolean pendingMasked;
    private int valuesMasked;

    private JsonMasking(Masker masker, FieldRules fields, boolean cardsInNumbers) {
        this.masker = masker;
        this.fields = fields;
        this.cardsInNumbers = cardsInNumbers;
    }

    static MaskResult mask(
            Masker masker, FieldRules fields, boolean cardsInNumbers, InputStream in, OutputStream out, long maxBytes) {
        LimitedInputStream limited = new LimitedInputStream(in, maxBytes);
        CountingOutputStream counted = new CountingOutputStream(out);
        JsonMasking masking = new JsonMasking(masker, fields, cardsInNumbers);
        try (JsonParser parser = JsonBodies.FACTORY.createParser(limited);
                JsonGenerator generator = JsonBodies.FACTORY.createGenerator(counted)) {
            masking.copy(parser, generator);
        } catch (MaskingException e) {
            throw e;
        } catch (JacksonException e) {
            throw translate(e, limited);
        }
        return new MaskResult(limited.count(), counted.count(), masking.valuesMasked);
    }

    private static RuntimeException translate(JacksonException e, LimitedInputStream limited) {
        if (limited.exceeded()) {
            return new BodyTooLargeException(limited.limit());
        }
        if (e instanceof JacksonIOException io) {
            return io.getCause() != null ? new UncheckedIOException(io.getCause()) : io;
        }
        if (e instanceof StreamWriteException) {
            return e;
        }
        long offset = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
        String reason;
        if (e instanceof UnexpectedEndOfInputException) {
            reason = "unexpected end of input";
        } else if (e instanceof StreamConstraintsException) {
            // these messages name a limit, never content
            reason = e.getOriginalMessage();
        } else {
            // Jackson's own message may quote the offending token, and this one may be logged
            reason = "not valid JSON";
        }
        return new MalformedBodyException(reason, offset);
    }

    private void copy(JsonParser parser, JsonGenerator generator) {
        JsonToken token = parser.nextToken();
        if (token == null) {
            // an empty body (204, HEAD, or just whitespace) holds nothing to mask
            return;
        }
        do {
            copyToken(parser, generator, token);
            if (depth == 0) {
                break;
            }
        } while ((token = parser.nextToken()) != null);
        if (depth != 0) {
            throw new MalformedBodyException(
                    "unexpected end of input", parser.currentLocation().getByteOffset());
        }
        if (parser.nextToken() != null) {
            throw new MalformedBodyException(
                    "content after the JSON value",
                    parser.currentTokenLocation().getByteOffset());
        }
    }

    private void copyToken(JsonParser parser, JsonGenerator generator, JsonToken token) {
        switch (token) {
            case PROPERTY_NAME -> {
                String name = parser.currentName();
                // names are never changed: a client must still find its fields, masked or not
                generator.writeName(name);
                setPath(name);
                pendingMasked = masked[depth - 1] || fields.matchesAt(path, depth);
            }
            case START_OBJECT, START_ARRAY -> {
                boolean underMask = valueMasked();
                push(underMask, token == JsonToken.START_ARRAY);
                if (token == JsonToken.START_ARRAY) {
                    generator.writeStartArray();
                } else {
                    generator.writeStartObject();
                }
            }
            case END_OBJECT, END_ARRAY -> {
                depth--;
                if (token == JsonToken.END_ARRAY) {
                    generator.writeEndArray();
                } else {
                    generator.writeEndObject();
                }
            }
            case VALUE_STRING -> {
                String value = parser.getString();
                String result = valueMasked() ? masker.maskSensitive(value) : masker.maskText(value);
                countIfChanged(value, result);
                generator.writeString(result);
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> copyNumber(parser, generator, token);
            case VALUE_TRUE, VALUE_FALSE -> {
                if (valueMasked()) {
                    valuesMasked++;
                    generator.writeString(Masks.HIDDEN);
                } else {
                    generator.writeBoolean(token == JsonToken.VALUE_TRUE);
                }
            }
            case VALUE_NULL -> {
                // null says nothing but "absent", which the field name already says
                valueMasked();
                generator.writeNull();
            }
            default -> generator.copyCurrentEvent(parser);
        }
    }

    private void copyNumber(JsonParser parser, JsonGenerator generator, JsonToken token) {
        // the text as written, so that 1.50e3 stays 1.50e3 and big numbers keep every digit
        String text = parser.getString();
        if (valueMasked()) {
            valuesMasked++;
            generator.writeString(Masks.HIDDEN);
            return;
        }
        if (cardsInNumbers
                && token == JsonToken.VALUE_NUMBER_INT
                && text.length() >= MIN_CARD_DIGITS
                && text.length() <= MAX_CARD_DIGITS) {
            String result = masker.maskText(text);
            if (!result.equals(text)) {
                // a card number stored as a number becomes a string: the mask has stars in it
                valuesMasked++;
                generator.writeString(result);
                return;
            }
        }
        generator.writeNumber(text);
    }

    /** Whether the value starting now is masked by a field rule; in an array this is where its path is set. */
    private boolean valueMasked() {
        if (depth == 0) {
            return false;
        }
        if (array[depth - 1]) {
            setPath(null);
            return masked[depth - 1] || fields.matchesAt(path, depth);
        }
        return pendingMasked;
    }

    private void setPath(String segment) {
        path[depth - 1] = segment;
    }

    private void push(boolean underMask, boolean isArray) {
        if (depth == masked.length) {
            path = Arrays.copyOf(path, depth * 2);
            masked = Arrays.copyOf(masked, depth * 2);
            array = Arrays.copyOf(array, depth * 2);
        }
        masked[depth] = underMask;
        array[depth] = isArray;
        depth++;
    }

    private void countIfChanged(String value, String result) {
        if (result != value) {
            valuesMasked++;
        }
    }
}
