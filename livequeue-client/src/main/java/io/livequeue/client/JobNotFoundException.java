package io.livequeue.client;

import java.time.Duration;
import java.util.List;

/**
 * No such job (404): never submitted, or finished and expired after its retention. It exists so that a status look-up can tell "gone" from "failed".
 */
public class JobNotFoundException extends LiveQueueException {

    public JobNotFoundException(int status, String type, String title, String detail, List<FieldError> errors,
            Duration retryAfter) {
        super(status, type, title, detail, errors, retryAfter);
    }
}
