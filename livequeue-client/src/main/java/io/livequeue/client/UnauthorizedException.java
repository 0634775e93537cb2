package io.livequeue.client;

import java.time.Duration;
import java.util.List;

/**
 * Missing or wrong credentials (401), or credentials without the right (403). It exists so that a configuration mistake is told apart from a request mistake; retrying does not help.
 */
public class UnauthorizedException extends LiveQueueException {

    public UnauthorizedException(int status, String type, String title, String detail, List<FieldError> errors,
            Duration retryAfter) {
        super(status, type, title, detail, errors, retryAfter);
    }
}
