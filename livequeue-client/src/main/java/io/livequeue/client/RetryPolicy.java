package io.livequeue.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the client keeps trying a request that got no answer, a 503 or a 429: at most {@code maxTries} tries
 * (the first included) and at most {@code maxElapsed} in all; between tries it waits the server's
 * {@code Retry-After} if given, else a full-jitter exponential back-off (a random wait between 0 and
 * {@code min(maxDelay, baseDelay × 2^(try−1))}). It exists so that retries are bounded and spread out (many clients
 * retrying together do not hit a recovering server at the same instant), and so that a caller can tune or disable
 * them ({@link #none()}). Other 4xx answers are never retried.
 */
public record RetryPolicy(int maxTries, Duration baseDelay, Duration maxDelay, Duration maxElapsed) {

    public RetryPolicy {
        if (maxTries < 1) {
            throw new IllegalArgumentException("maxTries must be at least 1: " + maxTries);
        }
        Objects.requireNonNull(baseDelay, "baseDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(maxElapsed, "maxElapsed");
    }

    /** 5 tries within 30 s, back-off from 100 ms up to 5 s. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    /** One try: every failure goes straight to the caller. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    public RetryPolicy withMaxTries(int maxTries) {
        return new RetryPolicy(maxTries, baseDelay, maxDelay, maxElapsed);
    }

    public RetryPolicy withBackoff(Duration baseDelay, Duration maxDelay) {
        return new RetryPolicy(maxTries, baseDelay, maxDelay, maxElapsed);
    }

    public RetryPolicy withMaxElapsed(Duration maxElapsed) {
        return new RetryPolicy(maxTries, baseDelay, maxDelay, maxElapsed);
    }
}
