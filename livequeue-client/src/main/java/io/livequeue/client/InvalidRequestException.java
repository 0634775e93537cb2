package io.livequeue.client;

import java.time.Duration;
import java.util.List;

/**
 * The request was refused as it is (400 invalid JSON, field or Idempotency-Key; 413 too large; 415 wrong content type; 422): sending it again cannot succeed. It exists so that callers can tell a request to fix (see {@link #errors()}) from a server to wait for.
 */
public class InvalidRequestException extends LiveQueueException {

    public InvalidRequestException(int status, String type, String title, String detail, List<FieldError> errors,
            Duration retryAfter) {
        super(status, type, title, detail, errors, retryAfter);
    }
}
