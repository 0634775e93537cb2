package io.livequeue.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One job to submit: the body of {@code POST /api/jobs}, or one element of a batch. It exists so that every optional
 * field of the API has a typed place and is sent only when set (null means "the server's default"), which keeps the
 * request valid against servers that do not know a newer field such as {@code queue}. Immutable: each {@code with}
 * method returns a copy.
 *
 * <p>When a job runs and until when it may start come in pairs, one of each pair at most: {@code delay} (from the
 * moment the server stores it) or {@code runAt} (an instant); {@code ttl} (from the moment it is stored) or
 * {@code expiresAt}. A job due later is answered {@link JobStatus#SCHEDULED}; a job not started by its deadline never
 * runs (it ends {@link JobStatus#DEAD} with the error {@code expired}). Durations are sent in whole milliseconds,
 * instants as RFC 3339 in UTC to the millisecond (what the server keeps).
 *
 * @param type        the job type, e.g. {@code echo}, {@code sleep}, {@code sms}; required
 * @param payload     any JSON, up to 64 KiB; null sends none
 * @param replyTo     the inbox of a gateway socket that should receive the job's events; null lets an attached
 *                    {@link JobWatcher} fill in its own inbox
 * @param priority    null for the server's default ({@code normal})
 * @param maxAttempts 1 to 20; null for the server's default (3)
 * @param queue       the named queue, where the server supports it; null sends none
 * @param delay       run no sooner than this long after the submit; null: now (or at {@code runAt})
 * @param runAt       run no sooner than this instant; null: now (or after {@code delay})
 * @param ttl         never start later than this long after the submit; null: no deadline (or {@code expiresAt})
 * @param expiresAt   never start after this instant; null: no deadline (or after {@code ttl})
 */
public record JobRequest(String type, JsonNode payload, String replyTo, Priority priority, Integer maxAttempts,
        String queue, Duration delay, Instant runAt, Duration ttl, Instant expiresAt) {

    /**
     * @throws IllegalArgumentException if both of a pair are set ({@code delay} and {@code runAt}, {@code ttl} and
     *                                  {@code expiresAt}), or a duration is negative
     */
    public JobRequest {
        Objects.requireNonNull(type, "type");
        if (delay != null && runAt != null) {
            throw new IllegalArgumentException("set delay or runAt, not both");
        }
        if (ttl != null && expiresAt != null) {
            throw new IllegalArgumentException("set ttl or expiresAt, not both");
        }
        if (delay != null && delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
        if (ttl != null && ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must not be negative: " + ttl);
        }
    }

    /** A request to run now, without a deadline (the fields a server before "jobs in time" knows). */
    public JobRequest(String type, JsonNode payload, String replyTo, Priority priority, Integer maxAttempts,
            String queue) {
        this(type, payload, replyTo, priority, maxAttempts, queue, null, null, null, null);
    }

    /** A request of {@code type} with every optional field unset. */
    public static JobRequest of(String type) {
        return new JobRequest(type, null, null, null, null, null);
    }

    /** The payload as JSON: a {@link JsonNode} as it is, anything else converted by Jackson (maps, records, …). */
    public JobRequest withPayload(Object payload) {
        return new JobRequest(type, Json.toTree(payload), replyTo, priority, maxAttempts, queue, delay, runAt, ttl,
                expiresAt);
    }

    public JobRequest withReplyTo(String replyTo) {
        return new JobRequest(type, payload, replyTo, priority, maxAttempts, queue, delay, runAt, ttl, expiresAt);
    }

    public JobRequest withPriority(Priority priority) {
        return new JobRequest(type, payload, replyTo, priority, maxAttempts, queue, delay, runAt, ttl, expiresAt);
    }

    public JobRequest withMaxAttempts(Integer maxAttempts) {
        return new JobRequest(type, payload, replyTo, priority, maxAttempts, queue, delay, runAt, ttl, expiresAt);
    }

    public JobRequest withQueue(String queue) {
        return new JobRequest(type, payload, replyTo, priority, maxAttempts, queue, delay, runAt, ttl, expiresAt);
    }

    /**
     * Runs the job no sooner than {@code delay} after the server stored it (null: now).
     *
     * @throws IllegalArgumentException if {@code runAt} is set, or the delay is negative
     */
    public JobRequest withDelay(Duration delay) {
        return new JobRequest(type, payload, replyTo, priority, maxAttempts, queue, delay, runAt, ttl, expiresAt);
    }

    /**
     * Runs the job no sooner than {@code runAt} (null: now); an instant already past runs it now.
     *
     * @throws IllegalArgumentException if {@code delay} is set
     */
    public JobRequest withRunAt(Instant runAt) {
        return new JobRequest(type, payload, replyTo, priority, maxAttempts, queue, delay, runAt, ttl, expiresAt);
    }

    /**
     * Drops the job if it has not started {@code ttl} after the server stored it (null: no deadline).
     *
     * @throws IllegalArgumentException if {@code expiresAt} is set, or the ttl is negative
     */
    public JobRequest withTtl(Duration ttl) {
        return new JobRequest(type, payload, replyTo, priority, maxAttempts, queue, delay, runAt, ttl, expiresAt);
    }

    /**
     * Drops the job if it has not started by {@code expiresAt} (null: no deadline).
     *
     * @throws IllegalArgumentException if {@code ttl} is set
     */
    public JobRequest withExpiresAt(Instant expiresAt) {
        return new JobRequest(type, payload, replyTo, priority, maxAttempts, queue, delay, runAt, ttl, expiresAt);
    }
}
