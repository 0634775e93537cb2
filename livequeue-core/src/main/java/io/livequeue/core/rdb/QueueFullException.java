package io.livequeue.core.rdb;

/** The jobs were refused because the waiting jobs would exceed the configured maximum; nothing was stored. */
public class QueueFullException extends RuntimeException {

    private final long waiting;

    public QueueFullException(long waiting) {
        super("the queue is full: " + waiting + " jobs are waiting");
        this.waiting = waiting;
    }

    public long waiting() {
        return waiting;
    }
}
