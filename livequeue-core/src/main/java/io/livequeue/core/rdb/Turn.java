package io.livequeue.core.rdb;

import java.util.List;

/**
 * What one {@link JobStore#finishAndClaim} call did: the time (Redis clock, epoch ms), whether each outcome was
 * recorded (false when its claim was lost to a reclaim), and the jobs it claimed (fewer than asked when the queues
 * ran dry).
 */
public record Turn(long now, List<Boolean> recorded, List<ClaimedJob> claimed) {
}
