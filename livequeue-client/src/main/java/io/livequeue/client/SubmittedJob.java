package io.livequeue.client;

import java.time.Instant;

/**
 * The producer's 202 answer for one job. It exists to hand back the two things a caller must keep: the {@code id}
 * (to look the job up, or {@link LiveQueueClient#cancel(SubmittedJob) cancel} it) and the {@code token} (which lets
 * any gateway socket follow the job, see {@link JobWatcher#follow}, and its holder cancel it). A job due later has
 * status {@link JobStatus#SCHEDULED} and its due time in {@code runAt} (null for a job queued at once).
 */
public record SubmittedJob(String id, String type, JobStatus status, Priority priority, String token,
        Instant createdAt, Instant runAt) {

    /** An answer without a due time: the job was queued at once. */
    public SubmittedJob(String id, String type, JobStatus status, Priority priority, String token,
            Instant createdAt) {
        this(id, type, status, priority, token, createdAt, null);
    }
}
