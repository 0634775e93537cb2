package io.livequeue.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What travels over Redis pub/sub for every status change, built by the Lua scripts in {@code io/livequeue/core/rdb}:
 {@code {"v":<version>,"id":"<job id>","status":"<status>","replyTo":"<inbox>"|null,"createdAt":<ms>,
 * "startedAt":<ms>,"finishedAt":<ms>,"event":<the client event>}}; the changes of one script call travel together, as
 * a JSON array of envelopes (see {@link #parseAll}).
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

    /**
     * The envelope as the scripts build it; used where Java has to publish or simulate one. {@code eventJson} goes in
     * as it is: the scripts' events end with the job's version ({@code "v"}, see {@link JobEvent}), so a caller that
     * simulates them passes an event that has it.
     */
    public static String format(long version, String jobId, JobStatus status, String replyTo, String eventJson) {
        return "{\"v\":" + version + ",\"id\":\"" + jobId + "\",\"status\":\"" + status.wireName() + "\",\"replyTo\":"
                + (replyTo == null ? "null" : "\"" + replyTo + "\"") + ",\"event\":" + eventJson + "}";
    }

    /**
     * Reads a message that holds one envelope: the routing fields, and the event sliced out (always the last field).
     *
     * @throws IllegalArgumentException if the text is not an envelope
     */
    public static EventMessage parse(String text) {
        List<EventMessage> scanned = text.startsWith("{") ? EnvelopeScan.all(text) : null;
        if (scanned != null) {
            return scanned.get(0);
        }
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("event message is not a JSON object");
            }
            EventMessage message = read(p, text);
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("malformed event message: the event must end it");
            }
            return message;
        } catch (IOException e) {
            throw notJson(e);
        }
    }

    /**
     * Reads a message as the scripts publish it: one envelope (a JSON object) or several changes of one script call
     * (a JSON array of envelopes), in the order they happened.
     *
     * @throws IllegalArgumentException if the text is neither, or any element is not an envelope
     */
    public static List<EventMessage> parseAll(String text) {
        List<EventMessage> scanned = EnvelopeScan.all(text);
        if (scanned != null) {
            return scanned;
        }
        if (!text.startsWith("[")) {
            return List.of(parse(text));
        }
        try (JsonParser p = JSON.createParser(text)) {
            p.nextToken();
            List<EventMessage> messages = new ArrayList<>();
            while (p.nextToken() == JsonToken.START_OBJECT) {
                messages.add(read(p, text));
            }
            if (messages.isEmpty() || p.currentToken() != JsonToken.END_ARRAY || p.nextToken() != null) {
                throw new IllegalArgumentException("malformed event message: not an array of envelopes");
            }
            return messages;
        } catch (IOException e) {
            throw notJson(e);
        }
    }

    /** Not Jackson's message, which quotes the text: an event carries a job's result and error. */
    private static IllegalArgumentException notJson(IOException e) {
        JsonLocation at = e instanceof JsonProcessingException json ? json.getLocation() : null;
        return new IllegalArgumentException("event message is not JSON" + (at == null ? ""
                : " (column " + at.getColumnNr() + ")"));
    }

    /** One envelope, from its opening brace (the parser's current token) to its closing one. */
    private static EventMessage read(JsonParser p, String text) throws IOException {
        long version = -1;
        String id = null;
        String replyTo = null;
        JobStatus status = null;
        long[] times = new long[3];
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
                    if (p.nextToken() != JsonToken.END_OBJECT) {
                        throw new IllegalArgumentException("malformed event message: the event must end it");
                    }
                    return new EventMessage(version, id, status, replyTo, times[0], times[1], times[2],
                            text.substring(start, end));
                }
                default -> p.skipChildren();
            }
        }
        throw new IllegalArgumentException("event message has no event");
    }
}
