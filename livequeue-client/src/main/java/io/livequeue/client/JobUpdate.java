package io.livequeue.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One status change of a job as the gateway pushes it ({@code {"event":"job",…,"v"}}). It exists so that a
 * {@link JobListener} gets typed fields; {@code result} is the handler's JSON (null until completed), {@code error}
 * the last attempt's error, and {@code version} the job's version, which grows with every change (-1 from a gateway
 * too old to send it).
 */
public record JobUpdate(String id, String type, JobStatus status, int attempts, JsonNode result, String error,
        long version) {

    /** Completed or dead: no further update of this job follows (unless an operator retries a dead job). */
    public boolean isFinal() {
        return status.isFinal();
    }
}
