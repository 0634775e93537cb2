package io.livequeue.core.rdb;

import java.util.List;

/** The consumers with their in-flight jobs, read at {@code now} on the Redis clock (the clock of the heartbeats). */
public record ConsumersView(long now, List<ConsumerInfo> consumers) {
}
