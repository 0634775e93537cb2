package io.livequeue.core.rdb;

import java.util.List;

/**
 * What one {@link JobStore#finishAndClaim} call did: the time (Redis clock, epoch ms), whether each outcome was
 * recorded (false when its claim was lost to a reclaim), the jobs it claimed (fewer than asked when the queue ran
 * dry), and {@code throttle}: 0, or why the queue's flow control held jobs back ({@link #PAUSED},
 * {@link #AT_CONCURRENCY_LIMIT}, or a positive number: the rate limit's window reopens in that many ms), and
 * {@code nextDue}: when the queue's earliest scheduled job is due (Redis clock, epoch ms; 0 when none is scheduled;
 * only known to a call that asked for jobs).
 */
public record Turn(long now, List<Boolean> recorded, List<ClaimedJob> claimed, long throttle, long nextDue) {

    public static final long PAUSED = -1;
    public static final long AT_CONCURRENCY_LIMIT = -2;
}
