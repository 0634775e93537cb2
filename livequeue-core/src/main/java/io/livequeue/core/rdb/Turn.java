package io.livequeue.core.rdb;

/**
 * What a worker's one call per job returns: whether the outcome of its last attempt was recorded (false when its
 * claim was lost to a reclaim), when (Redis clock, epoch ms), and the next job, or null when every queue is empty.
 */
public record Turn(boolean recorded, long finishedAt, ClaimedJob next) {
}
