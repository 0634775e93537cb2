package io.livequeue.consumer.handler;

/** A job that no retry can fix, such as one with invalid input: it ends {@code dead} at once with this message. */
public class PermanentJobFailure extends RuntimeException {

    public PermanentJobFailure(String message) {
        super(message);
    }
}
