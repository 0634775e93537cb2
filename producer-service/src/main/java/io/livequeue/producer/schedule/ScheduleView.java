package io.livequeue.producer.schedule;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.livequeue.core.rdb.Schedule;
import io.livequeue.core.schedule.JobTemplate;
import io.livequeue.core.schedule.ScheduleSpec;
import java.time.Instant;

/**
 * A schedule as the API shows it: its definition, then its state. {@code nextRunAt} (RFC 3339) and
 * {@code nextRunAtMs} (epoch ms) are null while it is paused; {@code lastRun} is the tick of its last job
 * ({@code lastJob}); {@code lastOutcome} says what its last handled tick did ({@code run}, or skipped: {@code overlap},
 * {@code missed}); {@code gen} grows on every PUT.
 */
public record ScheduleView(String name, String cron, String every, String zone, TemplateView job, String overlap,
        String missed, boolean paused, long gen, Instant nextRunAt, Long nextRunAtMs, Instant lastRun, String lastJob,
        String lastOutcome, long runs, long skipped, Instant createdAt, Instant updatedAt) {

    /** The job each tick makes. */
    public record TemplateView(String type, String queue, String priority, int maxAttempts,
            @JsonRawValue String payload, String replyTo, Long ttl) {
    }

    static ScheduleView of(Schedule schedule) {
        ScheduleSpec spec = schedule.spec();
        JobTemplate t = spec.job();
        return new ScheduleView(spec.name(), spec.cron(), spec.every(), spec.zone(),
                new TemplateView(t.type(), t.queue(), t.priority(), t.maxAttempts(), t.payload(), t.replyTo(), t.ttl()),
                spec.overlap().wireName(), spec.missed().wireName(), schedule.paused(), schedule.gen(),
                instant(schedule.next()), schedule.next(), instant(schedule.lastRun()), schedule.lastJob(),
                schedule.lastOutcome(), schedule.runs(), schedule.skipped(), Instant.ofEpochMilli(schedule.createdAt()),
                Instant.ofEpochMilli(schedule.updatedAt()));
    }

    private static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
