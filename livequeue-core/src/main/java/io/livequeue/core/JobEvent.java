package io.livequeue.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The event a WebSocket client receives on every status change of a job:
 * {@code {"event":"job","id","type","status","attempts","result","error","v"}}, with two optional fields: an
 * {@code active} job's latest progress report, {@code "progress":{"percent":0..100,"data":…}}, and a {@code scheduled}
 * job's due time, {@code "runAt"} (epoch ms). A progress report is an event of its own: the same job event, status
 * {@code active}, its {@code v} grown like any change's (so every gateway, also of the previous release, forwards it
 * once and in order). It is encoded once, by whoever
 * changes the status, and travels to every socket as that same text; {@code result} is embedded as the raw JSON
 * the handler produced. {@code v} is the job's version (it grows with every change), appended last: a consumer
 * encodes the event without it and the script that records the change appends it ({@code prelude.lua}'s
 * {@code publish}), since only the script knows the version; a gateway's snapshot of a stored job has it from
 * {@link Job#eventJson()}.
 */
public final class JobEvent {

    private static final JsonFactory JSON = new JsonFactory();

    private JobEvent() {
    }

    /** The event without {@code v}, as a consumer hands it to the script that records the change (which appends it). */
    public static String json(String id, String type, JobStatus status, int attempts, String rawResult, String error) {
        return json(id, type, status, attempts, rawResult, error, -1);
    }

    /** The event as a client receives it, {@code v} (the job's version) last; a negative version leaves it out. */
    public static String json(String id, String type, JobStatus status, int attempts, String rawResult, String error,
            long version) {
        return json(id, type, status.wireName(), attempts, rawResult, error, version);
    }

    /**
     * The same, the status given by its wire name: a gateway's snapshot of a stored job names the status as stored,
     * also one a newer release wrote that this one does not know (see {@link Job#statusName()}).
     */
    public static String json(String id, String type, String statusName, int attempts, String rawResult, String error,
            long version) {
        return json(id, type, statusName, attempts, rawResult, error, null, null, version);
    }

    /**
     * The event with the optional fields: {@code rawProgress} (the stored {@code {"percent","data"}} JSON, or null) and
     * {@code runAt} (epoch ms, or null).
     */
    public static String json(String id, String type, String statusName, int attempts, String rawResult, String error,
            String rawProgress, Long runAt, long version) {
        StringWriter out = new StringWriter(96 + (rawResult == null ? 0 : rawResult.length()));
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("event", "job");
            g.writeStringField("id", id);
            g.writeStringField("type", type);
            g.writeStringField("status", statusName);
            g.writeNumberField("attempts", attempts);
            g.writeFieldName("result");
            if (rawResult == null || rawResult.isEmpty()) {
                g.writeNull();
            } else {
                g.writeRawValue(rawResult);
            }
            g.writeStringField("error", error);
            if (rawProgress != null && !rawProgress.isEmpty()) {
                g.writeFieldName("progress");
                g.writeRawValue(rawProgress);
            }
            if (runAt != null) {
                g.writeNumberField("runAt", runAt);
            }
            if (version >= 0) {
                g.writeNumberField("v", version);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
