package io.livequeue.consumer.handler;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The SPI for job types: a CDI bean implementing this handles every job whose type is {@link #type()}. Adding a
 * job type is one class. Throw {@link PermanentJobFailure} for a job that can never succeed (bad input): it goes
 * straight to {@code dead}; any other exception fails the attempt and the job is retried while attempts remain.
 * Handlers run on worker threads and may block. A long handler reports its progress and honours cancellation through
 * its {@link JobContext}: throwing after a cancel (an interrupted sleep does) ends the job {@code cancelled}.
 */
public interface JobHandler {

    String type();

    /** @return the result, stored on the job and sent to its watchers; null for none */
    JsonNode handle(JobContext job) throws Exception;
}
