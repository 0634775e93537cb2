package io.livequeue.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of the REST API and of the gateway's job events, in one place. It exists so that the client's typed
 * records are read field by field from trees (no reflection, tolerant of fields a newer server adds) and requests are
 * written with only the fields that are set.
 */
final class WireFormat {

    private WireFormat() {
    }

    static String submitBody(JobRequest request) {
        return write(jobNode(request));
    }

    static String batchBody(List<JobRequest> requests) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode jobs = body.putArray("jobs");
        requests.forEach(request -> jobs.add(jobNode(request)));
        return write(body);
    }

    private static ObjectNode jobNode(JobRequest request) {
        ObjectNode job = Json.MAPPER.createObjectNode();
        job.put("type", request.type());
        if (request.payload() != null) {
            job.set("payload", request.payload());
        }
        if (request.replyTo() != null) {
            job.put("replyTo", request.replyTo());
        }
        if (request.priority() != null) {
            job.put("priority", request.priority().wireName());
        }
        if (request.maxAttempts() != null) {
            job.put("maxAttempts", request.maxAttempts());
        }
        if (request.queue() != null) {
            job.put("queue", request.queue());
        }
        if (request.delay() != null) {
            job.put("delay", request.delay().toMillis());
        }
        if (request.runAt() != null) {
            job.put("runAt", rfc3339(request.runAt()));
        }
        if (request.ttl() != null) {
            job.put("ttl", request.ttl().toMillis());
        }
        if (request.expiresAt() != null) {
            job.put("expiresAt", rfc3339(request.expiresAt()));
        }
        return job;
    }

    static SubmittedJob submitted(JsonNode node) {
        return new SubmittedJob(text(node, "id"), text(node, "type"), JobStatus.fromWireName(text(node, "status")),
                Priority.fromWireName(text(node, "priority")), text(node, "token"), instant(node.get("createdAt")),
                instant(node.get("runAt")));
    }

    static List<SubmittedJob> submittedBatch(JsonNode node) {
        List<SubmittedJob> jobs = new ArrayList<>();
        node.path("jobs").forEach(job -> jobs.add(submitted(job)));
        return jobs;
    }

    static JobView view(JsonNode node) {
        List<String> errors = new ArrayList<>();
        node.path("errors").forEach(error -> errors.add(error.asText()));
        return new JobView(text(node, "id"), text(node, "type"), JobStatus.fromWireName(text(node, "status")),
                Priority.fromWireName(text(node, "priority")), node.path("attempts").asInt(),
                node.path("maxAttempts").asInt(), json(node.get("payload")), json(node.get("result")),
                text(node, "error"), List.copyOf(errors), instant(node.get("createdAt")),
                instant(node.get("startedAt")), instant(node.get("finishedAt")), instant(node.get("runAt")),
                instant(node.get("expiresAt")), progress(node.get("progress")));
    }

    /** A gateway job event; {@code v} is -1 when the gateway does not send it (an older gateway). */
    static JobUpdate update(JsonNode node) {
        JsonNode v = node.get("v");
        return new JobUpdate(text(node, "id"), text(node, "type"), JobStatus.fromWireName(text(node, "status")),
                node.path("attempts").asInt(), json(node.get("result")), text(node, "error"),
                v != null && v.canConvertToLong() ? v.asLong() : -1, progress(node.get("progress")),
                instant(node.get("runAt")));
    }

    /** {@code {"percent":n,"data":…}}; null when absent, or not an object with a numeric percent. */
    static Progress progress(JsonNode value) {
        if (value == null || !value.isObject() || !value.path("percent").isNumber()) {
            return null;
        }
        return new Progress(value.get("percent").asDouble(), json(value.get("data")));
    }

    /** An instant as RFC 3339 in UTC, to the millisecond: the server keeps milliseconds. */
    private static String rfc3339(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    static JsonNode read(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static JsonNode json(JsonNode value) {
        return value == null || value.isNull() ? null : value;
    }

    /**
     * An ISO-8601 instant (what the producer writes); as numbers, Jackson's two shapes: whole epoch milliseconds, or
     * epoch seconds with a fraction. Null when absent or unreadable.
     */
    static Instant instant(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber()) {
            return Instant.ofEpochMilli(value.asLong());
        }
        if (value.isNumber()) {
            BigDecimal seconds = value.decimalValue();
            long whole = seconds.longValue();
            return Instant.ofEpochSecond(whole, seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9)
                    .longValue());
        }
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
