package io.livequeue.client;

import java.time.Duration;
import java.util.List;

/**
 * The request conflicts with the job's current state (409), e.g. acting on a job that is no longer in that state. It exists so that callers can re-read the job and decide, instead of treating it as a failure of the request itself.
 */
public class ConflictException extends LiveQueueException {

    public ConflictException(int status, String type, String title, String detail, List<FieldError> errors,
            Duration retryAfter) {
        super(status, type, title, detail, errors, retryAfter);
    }
}
