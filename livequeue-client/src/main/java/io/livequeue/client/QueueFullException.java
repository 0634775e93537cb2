package io.livequeue.client;

import java.time.Duration;
import java.util.List;

/**
 * The queue holds as many waiting jobs as the server allows (429); nothing was stored. It exists so that callers can slow down: the client already retried it as long as its {@link RetryPolicy} allowed, honouring {@link #retryAfter()}.
 */
public class QueueFullException extends LiveQueueException {

    public QueueFullException(int status, String type, String title, String detail, List<FieldError> errors,
            Duration retryAfter) {
        super(status, type, title, detail, errors, retryAfter);
    }
}
