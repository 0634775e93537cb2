package io.livequeue.core.rdb;

import io.livequeue.core.Priority;
import java.util.List;

/**
 * What a consumer's heartbeat in one queue did: leases it extended for its own jobs, and, for everyone, retries it put
 * back in line (due scheduled jobs too) and jobs it took back because their lease ran out (their consumer died or
 * stalled); the ids of its own jobs whose cancellation was asked for (a safety net for the cancel channel), and when
 * the queue's earliest scheduled job is due (Redis clock, epoch ms, 0: none).
 */
public record Heartbeat(int extended, int forwarded, List<Reclaimed> reclaimed, List<String> cancelled,
        long nextDue) {

    /** A job taken back, by what the metrics count it. */
    public record Reclaimed(String queue, String type, Priority priority) {
    }
}
