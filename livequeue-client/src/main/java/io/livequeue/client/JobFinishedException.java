package io.livequeue.client;

import java.time.Duration;
import java.util.List;

/**
 * The job cannot be cancelled: it already ended (409, problem type {@code job-finished}: completed, dead or
 * cancelled). It exists so that a caller that races a job's end can tell "too late" from other conflicts; it is a
 * {@link ConflictException}, so code that catches those keeps working. Read the job ({@link LiveQueueClient#status})
 * to learn how it ended: also when a cancel that got no answer was retried and its first try had already cancelled it.
 */
public class JobFinishedException extends ConflictException {

    public JobFinishedException(int status, String type, String title, String detail, List<FieldError> errors,
            Duration retryAfter) {
        super(status, type, title, detail, errors, retryAfter);
    }
}
