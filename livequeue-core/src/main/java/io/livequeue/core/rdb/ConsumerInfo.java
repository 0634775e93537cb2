package io.livequeue.core.rdb;

import java.util.List;

/**
 * A consumer and the jobs it holds. {@code lastHeartbeat} is 0 for a consumer that still holds a job but is no
 * longer in the consumers set (it stopped beating long ago; its leases will run out).
 */
public record ConsumerInfo(String id, long lastHeartbeat, List<InFlightJob> jobs) {
}
