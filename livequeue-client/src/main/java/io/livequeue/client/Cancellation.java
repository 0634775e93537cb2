package io.livequeue.client;

/**
 * The answer to a cancel ({@code POST /api/jobs/{id}/cancel}). It exists because a cancel has two successful
 * outcomes that a caller must tell apart: a job that had not started is {@link Outcome#CANCELLED} at once (200, and
 * it never runs), while a running one only has its cancellation {@link Outcome#REQUESTED} (202: its handler is told,
 * and the job then ends {@code cancelled}, or {@code completed} if it finished first; follow it to learn which).
 *
 * @param outcome what the server did
 * @param job     the job as it was right after the cancel
 */
public record Cancellation(Outcome outcome, JobView job) {

    /** Cancelled at once, or requested from the running handler. */
    public enum Outcome {
        /** The job was queued, scheduled or waiting to retry, and is now cancelled: it never runs (again). */
        CANCELLED,
        /** The job is running: its handler was told; it ends cancelled, or completed if it finished first. */
        REQUESTED
    }

    /** Whether the job is cancelled already (not only requested). */
    public boolean isCancelled() {
        return outcome == Outcome.CANCELLED;
    }
}
