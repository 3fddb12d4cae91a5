package dev.portcullis.policy.masking;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

/** A JSON document as its token sequence, so that tests can compare structure and values but not layout. */
final class JsonTokens {

    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonTokens() {}

    /**
     * Parses a whole document, failing on anything after the root value.
     *
     * @return one entry per token: its type, and for names and scalars its text
     */
    static List<String> of(String json) {
        List<String> tokens = new ArrayList<>();
        try (JsonParser parser = FACTORY.createParser(json)) {
            JsonToken token;
            int depth = 0;
            while ((token = parser.nextToken()) != null) {
                if (token.isStructStart()) {
                    depth++;
                } else if (token.isStructEnd()) {
                    depth--;
                }
                tokens.add(
                        token.isScalarValue() || token == JsonToken.PROPERTY_NAME
                                ? token + " " + parser.getString()
                                : token.toString());
                if (depth == 0) {
                    break;
                }
            }
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("content after the root value");
            }
        }
        return tokens;
    }

    /** The token sequence with every scalar's text left out: what must survive masking unchanged. */
    static List<String> structure(String json) {
        return of(json).stream()
                .map(token -> token.startsWith("VALUE_") ? "VALUE" : token)
                .toList();
    }
}
