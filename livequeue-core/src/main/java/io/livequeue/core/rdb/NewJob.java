package io.livequeue.core.rdb;

import io.livequeue.core.Priority;
import java.time.Duration;
import java.time.Instant;

/**
 * A validated job on its way into Redis; {@code payload} is raw JSON or null, {@code replyTo} an inbox or null.
 * {@code runAt} is when it is due ({@link When#NONE}: now; later: it is {@code scheduled} until then), {@code expiresAt}
 * its deadline ({@link When#NONE}: none): a job not started by then never runs.
 */
public record NewJob(String id, String type, Priority priority, int maxAttempts, String payload, String replyTo,
        When runAt, When expiresAt) {

    public NewJob {
        runAt = runAt == null ? When.NONE : runAt;
        expiresAt = expiresAt == null ? When.NONE : expiresAt;
    }

    /** A job due now, without a deadline. */
    public NewJob(String id, String type, Priority priority, int maxAttempts, String payload, String replyTo) {
        this(id, type, priority, maxAttempts, payload, replyTo, When.NONE, When.NONE);
    }

    public NewJob withRunAt(When when) {
        return new NewJob(id, type, priority, maxAttempts, payload, replyTo, when, expiresAt);
    }

    public NewJob withExpiresAt(When when) {
        return new NewJob(id, type, priority, maxAttempts, payload, replyTo, runAt, when);
    }

    /**
     * A point in time as the store receives it: an instant, or a duration after the moment Redis stores the job (on
     * the Redis clock, so a delay does not depend on the producer's clock).
     */
    public record When(long millis, boolean relative) {

        public static final When NONE = new When(-1, false);

        public static When after(Duration delay) {
            return new When(Math.max(0, delay.toMillis()), true);
        }

        public static When at(Instant instant) {
            return new When(instant.toEpochMilli(), false);
        }

        public boolean isNone() {
            return millis < 0;
        }

        /** The instant this stands for, given when the job was stored; null for {@link #NONE}. */
        public Long resolve(long storedAt) {
            return isNone() ? null : relative ? storedAt + millis : millis;
        }

        /** As a script argument: '' for none, '+ms' relative, 'ms' absolute. */
        String arg() {
            return isNone() ? "" : relative ? "+" + millis : Long.toString(millis);
        }
    }
}
