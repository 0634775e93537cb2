package io.livequeue.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Full-jitter exponential back-off: the n-th wait (n from 1) is uniformly random between 0 and
 * {@code min(max, base × 2^(n−1))}. It exists because both the REST retries and the watcher's reconnects need it,
 * and full jitter is what keeps many clients that failed at the same moment from coming back at the same moment
 * (the "thundering herd" after a gateway or Redis restart).
 */
record Backoff(Duration base, Duration max) {

    /** The wait before try {@code n + 1}, after {@code n} failures (n ≥ 1). */
    Duration delay(int n) {
        long cap = ceiling(n).toNanos();
        return cap <= 0 ? Duration.ZERO : Duration.ofNanos(ThreadLocalRandom.current().nextLong(cap + 1));
    }

    /** The largest wait {@link #delay(int)} can give after {@code n} failures. */
    Duration ceiling(int n) {
        long baseNanos = base.toNanos();
        long maxNanos = max.toNanos();
        int shift = Math.max(0, Math.min(n - 1, 62));
        long grown = baseNanos > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : baseNanos << shift;
        return Duration.ofNanos(Math.min(grown, maxNanos));
    }
}
