package io.livequeue.producer.job;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.livequeue.core.Job;
import java.time.Instant;
import java.util.List;

/** The producer's JSON answers about jobs. Payload and result are passed through as the raw JSON stored in Redis. */
public final class JobViews {

    private JobViews() {
    }

    /** The 202 answer to a submitted job. */
    public record Submitted(String id, String type, String status, String priority, String token, Instant createdAt,
            String queue) {
    }

    /** The 202 answer to a batch, in request order. */
    public record SubmittedBatch(List<Submitted> jobs) {
    }

    /**
     * {@code GET /api/jobs/{id}}; {@code errors} lists the error of every failed attempt, oldest first. {@code status}
     * is the status as stored, also one a newer release wrote that this one does not know ({@link Job#statusName()}).
     */
    public record Detail(String id, String type, String status, String priority, int attempts, int maxAttempts,
            @JsonRawValue String payload, @JsonRawValue String result, String error, Instant createdAt,
            Instant startedAt, Instant finishedAt, @JsonRawValue String errors, String queue) {

        public static Detail of(Job job) {
            return new Detail(job.id(), job.type(), job.statusName(), job.priority().wireName(), job.attempts(),
                    job.maxAttempts(), job.payload(), job.result(), job.error(), instant(job.createdAt()),
                    instant(job.startedAt()), instant(job.finishedAt()), job.errors() == null ? "[]" : job.errors(),
                    job.queue());
        }

        private static Instant instant(Long epochMillis) {
            return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis);
        }
    }
}
