package io.livequeue.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * What travels over Redis pub/sub for every status change, built by the Lua scripts in {@code io/livequeue/core/rdb}:
 * {@code {"v":<version>,"id":"<job id>","status":"<status>","replyTo":"<inbox>"|null,"createdAt":<ms>,
 * "startedAt":<ms>,"finishedAt":<ms>,"event":<the client event>}}; the changes of one script call travel together, as
 * a JSON array of envelopes (see {@link #parseAll}).
 * The envelope carries what a gateway needs to route and order the event, and the job's times (Redis clock, epoch
 * ms, 0 when not known: pickup latency is startedAt − createdAt of an {@code active} event, run time finishedAt −
 * startedAt of a final one); {@link #eventJson()} is the client event cut out as text, so a gateway forwards it
 * without re-encoding.
 *
 * <p><b>Newer releases.</b> During a rolling upgrade a gateway of this version reads what newer consumers and producers
 * publish: statuses it does not know (as {@code scheduled} and {@code cancelled} were to the release before them), event
 * kinds it does not know, envelope fields it does not know. None of them makes it drop a message:
 * <ul>
 * <li>An envelope is routed on {@code v}, {@code id} and {@code replyTo} alone, and its event is forwarded as the text
 * it is, whatever it says: an unknown status is read as {@link JobStatus#UNKNOWN} (the real name stays in the event
 * text), a missing one too; the kind of the event is never looked at; unknown envelope fields are skipped, wherever
 * they stand. So a gateway forwards what it does not understand to the sockets of that job, rather than dropping it:
 * the clients decide (livequeue.js passes unknown statuses and events on; the Java client reads an unknown status as
 * its {@code UNKNOWN} and ignores event kinds it does not know). What the gateway does
 * with a status, it does only for those it knows ({@link JobStatus#isFinal()}: an unknown one is not final; the
 * dashboard counts only known ones); ordering is by {@code v}, which needs no status. Like every event, it reaches a
 * socket only if its {@code v} is newer than what that socket has of the job: an event that left the version as it is
 * would be dropped as a repeat, which is why a progress report grows {@code v} like a status change does.</li>
 * <li>An element of an array that cannot be routed at all (no {@code v}, no {@code id}, or an event that is not an
 * object) is skipped on its own, with a debug line: every other envelope of the message is still read.</li>
 * </ul>
 * Only text that is not JSON, or not an envelope or an array of envelopes (objects), is refused as a whole. So the
 * compatibility contract of this envelope is: a release may add statuses, event kinds and envelope fields; it keeps
 * {@code v} (growing per job), {@code id}, {@code replyTo} and an {@code event} object.
 */
public record EventMessage(long version, String jobId, JobStatus status, String replyTo, long createdAt,
        long startedAt, long finishedAt, String eventJson) {

    private static final JsonFactory JSON = new JsonFactory();
    private static final Logger LOG = Logger.getLogger(EventMessage.class);

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
     * Reads a message that holds one envelope: the routing fields, and the event sliced out (the scripts write it last;
     * fields after it, as a newer release might add, are skipped). A status this version does not know, or none, is
     * {@link JobStatus#UNKNOWN}.
     *
     * @throws IllegalArgumentException if the text is not an envelope that can be routed ({@code v}, {@code id} and an
     *         event object)
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
                throw new IllegalArgumentException("malformed event message: text after the envelope");
            }
            return message;
        } catch (IOException e) {
            throw notJson(e);
        }
    }

    /**
     * Reads a message as the scripts publish it: one envelope (a JSON object) or several changes of one script call
     * (a JSON array of envelopes), in the order they happened. An element of an array that cannot be routed (see
     * {@link #parse}) is left out on its own, so the list may be shorter than the array, or empty.
     *
     * @throws IllegalArgumentException if the text is neither, a lone envelope cannot be routed, or an element of the
     *         array is not a JSON object
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
            int elements = 0;
            while (p.nextToken() == JsonToken.START_OBJECT) {
                elements++;
                int at = (int) p.currentTokenLocation().getCharOffset();
                try {
                    messages.add(read(p, text));
                } catch (IllegalArgumentException e) {
                    // read() went to the element's end before it judged it: the next element is read as usual;
                    // the element is not quoted (an event carries a job's result and error)
                    LOG.debugf("skipped element %d of an event message (at %d): %s", elements, at, e.getMessage());
                }
            }
            if (elements == 0 || p.currentToken() != JsonToken.END_ARRAY || p.nextToken() != null) {
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

    /**
     * One envelope, from its opening brace (the parser's current token) to its closing one, which it always reads up
     * to (the parser stays in step even when the envelope is refused).
     *
     * @throws IllegalArgumentException if it cannot be routed: no {@code v} (a non-negative integer), no {@code id}
     *         (a string), or no event object
     * @throws IOException if the text is not JSON
     */
    private static EventMessage read(JsonParser p, String text) throws IOException {
        long version = -1;
        String id = null;
        String replyTo = null;
        String status = null;
        long[] times = new long[3];
        boolean hasEvent = false;
        int start = -1;
        int end = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "v" -> version = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
                case "id" -> id = value == JsonToken.VALUE_STRING ? p.getText() : null;
                case "status" -> status = value == JsonToken.VALUE_STRING ? p.getText() : null;
                case "replyTo" -> replyTo = value == JsonToken.VALUE_STRING ? p.getText() : null;
                case "createdAt" -> times[0] = timeOf(p, value);
                case "startedAt" -> times[1] = timeOf(p, value);
                case "finishedAt" -> times[2] = timeOf(p, value);
                case "event" -> {
                    hasEvent = true;
                    if (value == JsonToken.START_OBJECT) {
                        start = (int) p.currentTokenLocation().getCharOffset();
                        p.skipChildren();
                        end = (int) p.currentLocation().getCharOffset();
                    }
                }
                default -> {
                    // a field this version does not know
                }
            }
            p.skipChildren(); // a value that is an object or array where a scalar was expected, or an unknown field's
        }
        if (!hasEvent) {
            throw new IllegalArgumentException("event message has no event");
        }
        if (id == null || version < 0 || start < 0) {
            throw new IllegalArgumentException("malformed event message");
        }
        return new EventMessage(version, id, JobStatus.fromWireName(status), replyTo, times[0], times[1], times[2],
                text.substring(start, end));
    }

    private static long timeOf(JsonParser p, JsonToken value) throws IOException {
        return value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : 0;
    }
}
