package io.livequeue.client;

import java.time.Duration;
import java.util.List;

/**
 * The server cannot reach its Redis right now (503); the job was either not stored or its outcome is unknown, and a retry with the same Idempotency-Key (what the client does) yields exactly one job. It exists so that callers see that the retries allowed by the {@link RetryPolicy} ran out, not that the request was wrong.
 */
public class ServiceUnavailableException extends LiveQueueException {

    public ServiceUnavailableException(int status, String type, String title, String detail, List<FieldError> errors,
            Duration retryAfter) {
        super(status, type, title, detail, errors, retryAfter);
    }
}
