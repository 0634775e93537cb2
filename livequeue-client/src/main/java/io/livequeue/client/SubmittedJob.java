package io.livequeue.client;

import java.time.Instant;

/**
 * The producer's 202 answer for one job. It exists to hand back the two things a caller must keep: the {@code id}
 * (to look the job up) and the {@code token} (which lets any gateway socket follow the job, see
 * {@link JobWatcher#follow}).
 */
public record SubmittedJob(String id, String type, JobStatus status, Priority priority, String token,
        Instant createdAt) {
}
