package io.livequeue.core.rdb;

import io.livequeue.core.JobStatus;
import java.time.Duration;

/**
 * The outcome of one attempt, to be recorded by {@link JobStore#finishAndClaim}: the status, the handler's result
 * (raw JSON) or the error, the client event to publish, and for {@code failed} the delay before the retry.
 */
public record Finished(ClaimedJob job, JobStatus status, String rawResult, String error, String eventJson,
        Duration retryDelay) {

    public Finished {
        if (status == JobStatus.UNKNOWN) {
            throw new IllegalArgumentException("UNKNOWN stands for a newer release's status: it is read, never recorded");
        }
    }
}
