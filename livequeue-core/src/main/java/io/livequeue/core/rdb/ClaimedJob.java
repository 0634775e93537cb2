package io.livequeue.core.rdb;

import io.livequeue.core.Priority;

/**
 * A job a worker has taken. {@code claim} proves the worker still owns it: the outcome is recorded only if the
 * job's claim in Redis is still this one.
 */
public record ClaimedJob(String id, String type, Priority priority, int attempts, int maxAttempts, String payload,
        String replyTo, String claim) {

    public boolean hasAttemptsLeft() {
        return attempts < maxAttempts;
    }
}
