package io.livequeue.core.rdb;

/**
 * What one scheduler did with one due tick of a schedule: {@code outcome} {@code run} (the tick's job is
 * {@code jobId}, created now or, when another scheduler was first, the one it created), {@code overlap} or
 * {@code missed} (skipped, no job); {@code advanced} is false when another scheduler (or a replace, or a delete)
 * changed the schedule first, so this scheduler's view of the tick was not recorded. {@code missed} says the tick was
 * later than the misfire threshold; {@code next} is the next run it set (null: none left).
 */
public record TickOutcome(String name, long tick, String outcome, String jobId, boolean advanced, boolean missed,
        Long next) {
}
