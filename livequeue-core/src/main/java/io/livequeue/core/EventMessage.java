package io.livequeue.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * What travels over Redis pub/sub for every status change, built by the Lua scripts in {@code io/livequeue/core/rdb}:
 {@code {"v":<version>,"id":"<job id>","status":"<status>","replyTo":"<inbox>"|null,"createdAt":<ms>,
 * "startedAt":<ms>,"finishedAt":<ms>,"event":<the client event>}}.
 * The envelope carries what a gateway needs to route and order the event, and the job's times (Redis clock, epoch
 * ms, 0 when not known: pickup latency is startedAt − createdAt of an {@code active} event, run time finishedAt −
 * startedAt of a final one); {@link #eventJson()} is the client event cut out as text, so a gateway forwards it
 * without re-encoding.
 */
public record EventMessage(long version, String jobId, JobStatus status, String replyTo, long createdAt,
        long startedAt, long finishedAt, String eventJson) {

    private static final JsonFactory JSON = new JsonFactory();

    /** An event without the job's times, as a gateway rebuilds it from a stored job. */
    public EventMessage(long version, String jobId, JobStatus status, String replyTo, String eventJson) {
        this(version, jobId, status, replyTo, 0, 0, 0, eventJson);
    }

    /** The envelope as the scripts build it; used where Java has to publish or simulate one. */
    public static String format(long version, String jobId, JobStatus status, String replyTo, String eventJson) {
        return "{\"v\":" + version + ",\"id\":\"" + jobId + "\",\"status\":\"" + status.wireName() + "\",\"replyTo\":"
                + (replyTo == null ? "null" : "\"" + replyTo + "\"") + ",\"event\":" + eventJson + "}";
    }

    /**
     * Reads the routing fields and slices out the event, which is always the last field.
     *
     * @throws IllegalArgumentException if the text is not an envelope
     */
    public static EventMessage parse(String text) {
        long version = -1;
        String id = null;
        String replyTo = null;
        JobStatus status = null;
        long[] times = new long[3];
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("event message is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "v" -> version = p.getLongValue();
                    case "id" -> id = p.getText();
                    case "status" -> status = JobStatus.fromWireName(p.getText());
                    case "replyTo" -> replyTo = value == JsonToken.VALUE_NULL ? null : p.getText();
                    case "createdAt" -> times[0] = p.getLongValue();
                    case "startedAt" -> times[1] = p.getLongValue();
                    case "finishedAt" -> times[2] = p.getLongValue();
                    case "event" -> {
                        if (value != JsonToken.START_OBJECT || id == null || status == null || version < 0) {
                            throw new IllegalArgumentException("malformed event message");
                        }
                        int start = (int) p.currentTokenLocation().getCharOffset();
                        p.skipChildren();
                        int end = (int) p.currentLocation().getCharOffset();
                        if (p.nextToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                            throw new IllegalArgumentException("malformed event message: the event must end it");
                        }
                        return new EventMessage(version, id, status, replyTo, times[0], times[1], times[2],
                                text.substring(start, end));
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("event message is not JSON: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("event message has no event");
    }
}
