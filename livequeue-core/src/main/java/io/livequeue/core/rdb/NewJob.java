package io.livequeue.core.rdb;

import io.livequeue.core.Priority;

/** A validated job on its way into Redis; {@code payload} is raw JSON or null, {@code replyTo} an inbox or null. */
public record NewJob(String id, String type, Priority priority, int maxAttempts, String payload, String replyTo) {
}
