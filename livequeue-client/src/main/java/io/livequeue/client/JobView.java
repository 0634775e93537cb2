package io.livequeue.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A job as {@code GET /api/jobs/{id}} shows it. It exists so that callers read a stored job through typed fields;
 * {@code payload} and {@code result} stay JSON trees (read them with Jackson into your own types), {@code errors} is
 * the error of every failed attempt, oldest first; times are null until they happened.
 */
public record JobView(String id, String type, JobStatus status, Priority priority, int attempts, int maxAttempts,
        JsonNode payload, JsonNode result, String error, List<String> errors, Instant createdAt, Instant startedAt,
        Instant finishedAt) {
}
