package io.livequeue.core.rdb;

/** How many jobs of one priority are waiting, being worked on, and dead. */
public record QueueCounts(long waiting, long active, long dead) {
}
