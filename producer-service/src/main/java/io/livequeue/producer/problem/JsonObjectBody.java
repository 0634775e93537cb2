package io.livequeue.producer.problem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * The small JSON object bodies of the operators' endpoints (a queue's limits, a new API key): read it, and list as
 * field errors what is wrong with its shape (not JSON, not an object, a field nobody asked for), so that each endpoint
 * only checks its own fields' values.
 */
public final class JsonObjectBody {

    private JsonObjectBody() {
    }

    /** The body as an object, or null with what is wrong added to {@code errors}. */
    public static JsonNode read(ObjectMapper mapper, String body, List<String> fields, List<FieldError> errors) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : mapper.readTree(body);
        } catch (Exception e) {
            errors.add(new FieldError("", "the body is not valid JSON"));
            return null;
        }
        String shape = "{" + String.join(", ", fields.stream().map(f -> "\"" + f + "\"").toList()) + "}";
        if (root == null || !root.isObject()) {
            errors.add(new FieldError("", "the body must be a JSON object: " + shape));
            return null;
        }
        String known = fields.stream().sorted().toList().toString();
        root.fieldNames().forEachRemaining(field -> {
            if (!fields.contains(field)) {
                errors.add(new FieldError(field, "unknown field; known fields: " + known));
            }
        });
        return root;
    }
}
