package io.livequeue.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One job to submit: the body of {@code POST /api/jobs}, or one element of a batch. It exists so that every optional
 * field of the API has a typed place and is sent only when set (null means "the server's default"), which keeps the
 * request valid against servers that do not know a newer field such as {@code queue}. Immutable: each {@code with}
 * method returns a copy.
 *
 * @param type        the job type, e.g. {@code echo}, {@code sleep}, {@code sms}; required
 * @param payload     any JSON, up to 64 KiB; null sends none
 * @param replyTo     the inbox of a gateway socket that should receive the job's events; null lets an attached
 *                    {@link JobWatcher} fill in its own inbox
 * @param priority    null for the server's default ({@code normal})
 * @param maxAttempts 1 to 20; null for the server's default (3)
 * @param queue       the named queue, where the server supports it; null sends none
 */
public record JobRequest(String type, JsonNode payload, String replyTo, Priority priority, Integer maxAttempts,
        String queue) {

    public JobRequest {
        Objects.requireNonNull(type, "type");
    }

    /** A request of {@code type} with every optional field unset. */
    public static JobRequest of(String type) {
        return new JobRequest(type, null, null, null, null, null);
    }

    /** The payload as JSON: a {@link JsonNode} as it is, anything else converted by Jackson (maps, records, …). */
    public JobRequest withPayload(Object payload) {
        return new JobRequest(type, Json.toTree(payload), replyTo, priority, maxAttempts, queue);
    }

    public JobRequest withReplyTo(String replyTo) {
        return new JobRequest(type, payload, replyTo, priority, maxAttempts, queue);
    }

    public JobRequest withPriority(Priority priority) {
        return new JobRequest(type, payload, replyTo, priority, maxAttempts, queue);
    }

    public JobRequest withMaxAttempts(Integer maxAttempts) {
        return new JobRequest(type, payload, replyTo, priority, maxAttempts, queue);
    }

    public JobRequest withQueue(String queue) {
        return new JobRequest(type, payload, replyTo, priority, maxAttempts, queue);
    }
}
