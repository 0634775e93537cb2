package io.livequeue.producer.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.livequeue.core.Job;
import java.time.Instant;
import java.util.List;

/** The producer's JSON answers about jobs. Payload and result are passed through as the raw JSON stored in Redis. */
public final class JobViews {

    private JobViews() {
    }

    /**
     * The 202 answer to a submitted job: {@code status} is {@code scheduled} (and {@code runAt} when it is due) for a job
     * due later, else {@code queued}; {@code expiresAt} is its deadline. Those two appear only when the job has them.
     */
    public record Submitted(String id, String type, String status, String priority, String token, Instant createdAt,
            String queue, @JsonInclude(JsonInclude.Include.NON_NULL) Instant runAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) Instant expiresAt) {

        public Submitted(String id, String type, String status, String priority, String token, Instant createdAt,
                String queue) {
            this(id, type, status, priority, token, createdAt, queue, null, null);
        }
    }

    /** The 202 answer to a batch, in request order. */
    public record SubmittedBatch(List<Submitted> jobs) {
    }

    /**
     * {@code GET /api/jobs/{id}}; {@code errors} lists the error of every failed attempt, oldest first. {@code status}
     * is the status as stored, also one a newer release wrote that this one does not know ({@link Job#statusName()}).
     * {@code runAt} (a scheduled job's due time), {@code expiresAt} (its deadline) and {@code progress} (the latest
     * report, {@code {"percent","data"}}) appear when the job has them; {@code cancelRequested} is true while a running
     * job's cancellation is on its way to its handler.
     */
    public record Detail(String id, String type, String status, String priority, int attempts, int maxAttempts,
            @JsonRawValue String payload, @JsonRawValue String result, String error, Instant createdAt,
            Instant startedAt, Instant finishedAt, @JsonRawValue String errors, String queue,
            @JsonInclude(JsonInclude.Include.NON_NULL) Instant runAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) Instant expiresAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonRawValue String progress,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean cancelRequested) {

        public static Detail of(Job job) {
            return of(job, false);
        }

        public static Detail of(Job job, boolean cancelRequested) {
            return new Detail(job.id(), job.type(), job.statusName(), job.priority().wireName(), job.attempts(),
                    job.maxAttempts(), job.payload(), job.result(), job.error(), instant(job.createdAt()),
                    instant(job.startedAt()), instant(job.finishedAt()), job.errors() == null ? "[]" : job.errors(),
                    job.queue(), instant(job.runAt()), instant(job.expiresAt()), job.progress(), cancelRequested);
        }

        private static Instant instant(Long epochMillis) {
            return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis);
        }
    }
}
