package io.livequeue.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A job as {@code GET /api/jobs/{id}} shows it. It exists so that callers read a stored job through typed fields;
 * {@code payload} and {@code result} stay JSON trees (read them with Jackson into your own types), {@code errors} is
 * the error of every failed attempt, oldest first; times are null until they happened. {@code runAt} is when a
 * scheduled job is due, {@code expiresAt} the job's deadline, {@code progress} the running attempt's latest report:
 * each null when the job has none (and from servers before "jobs in time").
 */
public record JobView(String id, String type, JobStatus status, Priority priority, int attempts, int maxAttempts,
        JsonNode payload, JsonNode result, String error, List<String> errors, Instant createdAt, Instant startedAt,
        Instant finishedAt, Instant runAt, Instant expiresAt, Progress progress) {

    /** A job without due time, deadline or progress. */
    public JobView(String id, String type, JobStatus status, Priority priority, int attempts, int maxAttempts,
            JsonNode payload, JsonNode result, String error, List<String> errors, Instant createdAt,
            Instant startedAt, Instant finishedAt) {
        this(id, type, status, priority, attempts, maxAttempts, payload, result, error, errors, createdAt, startedAt,
                finishedAt, null, null, null);
    }
}
