package io.livequeue.core.rdb;

import io.livequeue.core.Priority;
import java.util.Map;

/**
 * One queue as operators see it: its counts per priority, failed jobs waiting for their next attempt (per priority),
 * and its flow control (paused; at most {@code concurrency} active jobs, 0 for no limit; at most {@code rate} starts per
 * {@code periodMillis}, 0 for no limit, with {@code startedInWindow} of them used in the current window), and how many
 * of its jobs are scheduled (waiting for their due time).
 */
public record QueueState(String name, Map<Priority, QueueCounts> counts, Map<Priority, Long> retryingByPriority,
        boolean paused, int concurrency, int rate, long periodMillis, long startedInWindow, long scheduled) {

    /** A queue's state as it was before scheduled jobs were counted. */
    public QueueState(String name, Map<Priority, QueueCounts> counts, Map<Priority, Long> retryingByPriority,
            boolean paused, int concurrency, int rate, long periodMillis, long startedInWindow) {
        this(name, counts, retryingByPriority, paused, concurrency, rate, periodMillis, startedInWindow, 0);
    }

    public long retrying() {
        return retryingByPriority.values().stream().mapToLong(Long::longValue).sum();
    }

    public long waiting() {
        return counts.values().stream().mapToLong(QueueCounts::waiting).sum();
    }

    public long active() {
        return counts.values().stream().mapToLong(QueueCounts::active).sum();
    }

    public long dead() {
        return counts.values().stream().mapToLong(QueueCounts::dead).sum();
    }
}
