package io.livequeue.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The event a WebSocket client receives on every status change of a job:
 * {@code {"event":"job","id","type","status","attempts","result","error"}}. It is encoded once, by whoever
 * changes the status, and travels to every socket as that same text; {@code result} is embedded as the raw JSON
 * the handler produced.
 */
public final class JobEvent {

    private static final JsonFactory JSON = new JsonFactory();

    private JobEvent() {
    }

    public static String json(String id, String type, JobStatus status, int attempts, String rawResult, String error) {
        StringWriter out = new StringWriter(96 + (rawResult == null ? 0 : rawResult.length()));
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("event", "job");
            g.writeStringField("id", id);
            g.writeStringField("type", type);
            g.writeStringField("status", status.wireName());
            g.writeNumberField("attempts", attempts);
            g.writeFieldName("result");
            if (rawResult == null || rawResult.isEmpty()) {
                g.writeNull();
            } else {
                g.writeRawValue(rawResult);
            }
            g.writeStringField("error", error);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
