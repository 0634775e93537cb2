package io.livequeue.gateway.dashboard;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.livequeue.core.Job;
import io.livequeue.core.rdb.ConsumerInfo;
import io.livequeue.core.rdb.ConsumersView;
import io.livequeue.core.rdb.InFlightJob;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

/**
 * The frames the operator channel sends, as records Jackson encodes (registered for reflection, so a native
 * executable writes them too). {@code snapshot} and {@code stats} share one
 * shape: a snapshot is the full picture for a newly authenticated operator (all of the charts' history, the dead
 * list), a stats frame the once-a-second update everyone gets (the last few seconds of the charts, the dead list only
 * when it changed).
 */
@RegisterForReflection(targets = { DashboardMessages.QueueView.class, DashboardMessages.DeadJobView.class,
        DashboardMessages.DeadView.class, DashboardMessages.Stats.class, DashboardMessages.DeadPage.class,
        DashboardMessages.JobDoc.class, DashboardMessages.ErrorEvent.class, DashboardMessages.NamedQueueView.class,
        DashboardMessages.ScheduleView.class, SeriesPoint.class, ConsumersView.class,
        ConsumerInfo.class, InFlightJob.class })
final class DashboardMessages {

    private DashboardMessages() {
    }

    /** Counts of one priority. {@code retrying}: failed jobs waiting for their next attempt. */
    record QueueView(long waiting, long active, long retrying, long dead) {
    }

    /**
     * One named queue: its counts ({@code scheduled}: jobs waiting for their due time), and its flow control
     * ({@code concurrency}, {@code rate} per {@code periodMs}: 0 for no limit; {@code startedInWindow}: starts counted
     * in the rate limit's current window).
     */
    record NamedQueueView(String name, long waiting, long active, long retrying, long dead, long scheduled,
            boolean paused, int concurrency, int rate, long periodMs, long startedInWindow) {
    }

    /**
     * A recurring schedule as the dashboard's "Schedules" table shows it: {@code cron} or {@code every} (the other is
     * null), its {@code zone}, and {@code nextRun} / {@code lastRun} in epoch ms (null: not known, or paused), as
     * {@link DashboardReader#schedules()} reads them.
     */
    record ScheduleView(String name, String cron, String every, String zone, Long nextRun, boolean paused,
            Long lastRun) {
    }

    /** A dead job as the list shows it; {@code errors} and {@code payload} are the stored JSON, passed through. */
    record DeadJobView(String id, String type, String priority, int attempts, int maxAttempts, String error,
            @JsonRawValue String errors, @JsonRawValue String payload, Long createdAt, Long finishedAt) {

        static DeadJobView of(Job job) {
            return new DeadJobView(job.id(), job.type(), job.priority().wireName(), job.attempts(), job.maxAttempts(),
                    job.error(), job.errors(), job.payload(), job.createdAt(), job.finishedAt());
        }
    }

    /** A page of the dead-letter list, newest death first. */
    record DeadView(long total, int offset, int limit, List<DeadJobView> jobs) {
    }

    /**
     * {@code snapshot} or {@code stats}; {@code at} is the gateway's clock, {@code consumers.now} the Redis clock.
     * {@code schedules} is left out while the gateway cannot read schedules (the page then says so).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Stats(String event, long at, Map<String, QueueView> queues, List<NamedQueueView> named,
            ConsumersView consumers, DeadView dead, List<SeriesPoint> series, List<ScheduleView> schedules) {
    }

    /** The answer to {@code {"type":"dead","offset":n}}. */
    record DeadPage(String event, DeadView dead) {
        DeadPage(DeadView dead) {
            this("dead-page", dead);
        }
    }

    /** The answer to {@code {"type":"job","id":"…"}}: the job's hash as stored, or {@code found: false}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record JobDoc(String event, String id, boolean found, Map<String, String> job) {
        JobDoc(String id, Map<String, String> job) {
            this("job-doc", id, job != null, job);
        }
    }

    /** Something the operator sent could not be served; see {@link OperatorSessions} for the codes. */
    record ErrorEvent(String event, String code, String message) {
        ErrorEvent(String code, String message) {
            this("error", code, message);
        }
    }
}
