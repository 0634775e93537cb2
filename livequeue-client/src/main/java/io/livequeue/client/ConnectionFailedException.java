package io.livequeue.client;

import java.io.IOException;
import java.util.List;

/**
 * No answer came from the server: the connection was refused or reset, or the request timed out, on every try the
 * {@link RetryPolicy} allowed. It exists so that "nothing answered" is a {@link LiveQueueException} like the others
 * (with {@link #status()} 0 and the last I/O error as its cause); after a time-out the submit may have been stored,
 * and submitting again with the same Idempotency-Key is safe.
 */
public class ConnectionFailedException extends LiveQueueException {

    public ConnectionFailedException(String detail, IOException cause) {
        super(0, null, "Connection failed", detail, List.of(), null, cause);
    }
}
