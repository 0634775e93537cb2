package io.livequeue.core.rdb;

import io.livequeue.core.Priority;
import java.util.List;

/**
 * What a consumer's heartbeat in one queue did: leases it extended for its own jobs, and, for everyone, retries it put
 * back in line and jobs it took back because their lease ran out (their consumer died or stalled).
 */
public record Heartbeat(int extended, int forwarded, List<Reclaimed> reclaimed) {

    /** A job taken back, by what the metrics count it. */
    public record Reclaimed(String queue, String type, Priority priority) {
    }
}
