package io.livequeue.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One change of a job as the gateway pushes it ({@code {"event":"job",…,"v"}}). It exists so that a
 * {@link JobListener} gets typed fields; {@code result} is the handler's JSON (null until completed), {@code error}
 * the last attempt's error, and {@code version} the job's version, which grows with every change (-1 from a gateway
 * too old to send it). A progress report is an update of its own: status {@link JobStatus#ACTIVE}, its
 * {@code progress} set and its version grown; {@code runAt} is a {@link JobStatus#SCHEDULED} job's due time. Both
 * are null when the event has none.
 */
public record JobUpdate(String id, String type, JobStatus status, int attempts, JsonNode result, String error,
        long version, Progress progress, Instant runAt) {

    /** An update without progress or due time (what gateways sent before "jobs in time"). */
    public JobUpdate(String id, String type, JobStatus status, int attempts, JsonNode result, String error,
            long version) {
        this(id, type, status, attempts, result, error, version, null, null);
    }

    /**
     * Completed, dead or cancelled: no further update of this job follows (unless an operator retries a dead job).
     */
    public boolean isFinal() {
        return status.isFinal();
    }
}
