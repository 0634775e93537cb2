package io.livequeue.core.rdb;

import io.livequeue.core.Priority;

/** A job a consumer is working on right now, as an operator sees it; {@code startedAt} is the attempt's start. */
public record InFlightJob(String id, String type, Priority priority, int attempts, long startedAt) {
}
