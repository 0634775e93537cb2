package io.livequeue.client;

/**
 * An {@code error} frame from the gateway ({@code {"event":"error","code","message"}}), e.g. {@code forbidden} (the
 * token does not match the job) or {@code not-found} (the job expired). It exists so that a {@link JobListener} learns
 * why a job it follows sends nothing; {@code jobId} is the job the error names, when it names one the watcher follows
 * (the watcher then stops following it), else null.
 */
public record GatewayError(String code, String message, String jobId) {
}
