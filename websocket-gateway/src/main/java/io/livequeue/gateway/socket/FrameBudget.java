package io.livequeue.gateway.socket;

/**
 * One socket's allowance of incoming frames, so that a client in a subscribe loop cannot take the event loop, Redis
 * reads or outgoing queues from the others: a token bucket of {@code burst} frames refilled at {@code perSecond},
 * kept as the single "theoretical arrival time" of the generic cell rate algorithm (one long, no timer). A frame over
 * the allowance is dropped; the first drop, and then at most one a second, asks the caller to tell the client; a
 * socket that keeps sending over the allowance for {@code closeAfterNanos} is to be closed. All of it runs on the
 * socket's event loop, one frame at a time; the methods are synchronized only as a guard.
 */
final class FrameBudget {

    /** What to do with a frame. */
    enum Verdict {
        /** within the allowance: handle it */
        ACCEPT,
        /** over it: drop it quietly (the client was told less than a second ago) */
        DROP,
        /** over it: drop it and tell the client (an {@code error} event) */
        DROP_AND_WARN,
        /** over it for too long: drop it and close the socket */
        CLOSE
    }

    private static final long SECOND = 1_000_000_000L;

    private final long interval;
    private final long tolerance;
    private final long closeAfterNanos;
    /** When the bucket would be full again: each accepted frame pushes it one interval further. */
    private long arrival = Long.MIN_VALUE;
    /** Whether frames were dropped, and since when: a second without a drop ends the run. */
    private boolean throttled;
    private long throttledSince;
    private long lastDrop;
    private long lastWarning;
    private int droppedSinceWarning;

    /**
     * @param perSecond frames a second on average (more than 0)
     * @param burst frames at once above that (at least 1)
     * @param closeAfterNanos how long a run of drops may last before the socket is closed; 0: never
     */
    FrameBudget(int perSecond, int burst, long closeAfterNanos) {
        this.interval = Math.max(1, SECOND / perSecond);
        this.tolerance = (Math.max(1, burst) - 1) * interval;
        this.closeAfterNanos = closeAfterNanos;
    }

    /** Spends one frame of the allowance at {@code now} (System.nanoTime()). */
    synchronized Verdict take(long now) {
        long due = arrival == Long.MIN_VALUE || arrival - now < 0 ? now : arrival;
        if (due - now <= tolerance) {
            arrival = due + interval;
            return Verdict.ACCEPT;
        }
        if (!throttled || now - lastDrop > SECOND) {
            throttled = true;
            throttledSince = now;
            lastWarning = now - 2 * SECOND; // a new run of drops is told at once
        }
        lastDrop = now;
        droppedSinceWarning++;
        if (closeAfterNanos > 0 && now - throttledSince >= closeAfterNanos) {
            return Verdict.CLOSE;
        }
        if (now - lastWarning >= SECOND) {
            lastWarning = now;
            return Verdict.DROP_AND_WARN;
        }
        return Verdict.DROP;
    }

    /** Frames dropped since the last {@link Verdict#DROP_AND_WARN}, and starts counting again. */
    synchronized int takeDropped() {
        int dropped = droppedSinceWarning;
        droppedSinceWarning = 0;
        return dropped;
    }
}
