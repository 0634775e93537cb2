package io.livequeue.core.rdb;

import io.livequeue.core.schedule.ScheduleSpec;

/**
 * A recurring schedule as stored: its spec, its generation (grows on every replace), its next run (epoch ms on the
 * Redis clock; null while it is paused or when no run is left), and what its ticks did: the last tick handled and how
 * ({@code run}, {@code overlap} or {@code missed}), the last tick that made a job ({@code lastRun}) and that job, how
 * many ticks made a job and how many were skipped. What the REST API and the dashboard show of a schedule.
 */
public record Schedule(ScheduleSpec spec, long gen, Long next, boolean paused, long createdAt, long updatedAt,
        Long lastTick, String lastOutcome, Long lastRun, String lastJob, long runs, long skipped) {

    public String name() {
        return spec.name();
    }
}
