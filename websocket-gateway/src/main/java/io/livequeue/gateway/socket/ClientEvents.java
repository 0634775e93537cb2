package io.livequeue.gateway.socket;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** The gateway's own frames to clients ({@code welcome}, {@code subscribed}, {@code error}, …), JSON-encoded. */
final class ClientEvents {

    private static final JsonFactory JSON = new JsonFactory();

    private ClientEvents() {
    }

    static String welcome(String inbox) {
        return of("welcome", "inbox", inbox);
    }

    static String subscribed(String jobId) {
        return of("subscribed", "job", jobId);
    }

    static String unsubscribed(String jobId) {
        return of("unsubscribed", "job", jobId);
    }

    static String error(String code, String message) {
        return of("error", "code", code, "message", message);
    }

    private static String of(String event, String... fields) {
        StringWriter out = new StringWriter(64);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("event", event);
            for (int i = 0; i < fields.length; i += 2) {
                g.writeStringField(fields[i], fields[i + 1]);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
