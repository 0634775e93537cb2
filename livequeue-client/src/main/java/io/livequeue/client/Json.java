package io.livequeue.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one Jackson mapper of the library. It exists so that payloads given as plain Java objects are converted the same
 * way everywhere, without each class making a mapper of its own (an ObjectMapper is costly to create and safe to
 * share).
 */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** {@code value} as a JSON tree: a {@link JsonNode} as it is, null as null, anything else converted by Jackson. */
    static JsonNode toTree(Object value) {
        if (value == null || value instanceof JsonNode) {
            return (JsonNode) value;
        }
        return MAPPER.valueToTree(value);
    }
}
