package io.livequeue.core.rdb;

import io.livequeue.core.Priority;

/**
 * A job a worker has taken. {@code claim} proves the worker still owns it: the outcome is recorded only if the
 * job's claim in Redis is still this one. {@code createdAt} and {@code startedAt} (Redis clock, epoch ms) give its
 * pickup latency.
 */
public record ClaimedJob(String id, String type, Priority priority, int attempts, int maxAttempts, String payload,
        String replyTo, String claim, long createdAt, long startedAt) {

    /** The job's queue, from its id. */
    public String queue() {
        return io.livequeue.core.Ids.queueOf(id);
    }

    public boolean hasAttemptsLeft() {
        return attempts < maxAttempts;
    }
}
