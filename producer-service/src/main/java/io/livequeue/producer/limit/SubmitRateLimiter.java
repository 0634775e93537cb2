package io.livequeue.producer.limit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.livequeue.core.Job;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The per-client submit rate: a token bucket per caller (Bucket4j), counted in jobs, so one client can neither pump
 * SMS nor fill the queue for everyone else. The buckets live in each producer, not in Redis: free (no round trip,
 * no extra key), at the price of a limit that is per producer instance, so with N producers behind a balancer a
 * client may submit up to N times the rate. The anonymous caller of {@code livequeue.auth=none} is one trusted
 * client and is not limited unless {@code livequeue.rate-limit.anonymous} is set.
 */
@Singleton
public class SubmitRateLimiter {

    /** The answer for one request: allowed or not, and what the RateLimit fields say. */
    public record Decision(boolean allowed, long remaining, long retryAfterSeconds, long resetSeconds) {
    }

    private final long perSecond;
    private final long burst;
    private final boolean anonymous;
    private final Cache<String, Bucket> buckets;
    private final String policy;

    SubmitRateLimiter(@ConfigProperty(name = "livequeue.rate-limit.jobs-per-second", defaultValue = "1000") long perSecond,
            @ConfigProperty(name = "livequeue.rate-limit.burst", defaultValue = "5000") long burst,
            @ConfigProperty(name = "livequeue.rate-limit.anonymous", defaultValue = "false") boolean anonymous) {
        this.perSecond = perSecond;
        this.burst = Math.max(burst, 1);
        this.anonymous = anonymous;
        this.buckets = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10)).build();
        // RateLimit-Policy (draft-ietf-httpapi-ratelimit-headers-10): the burst is the quota of the window in which
        // an empty bucket fills up again
        this.policy = "\"submit\";q=" + this.burst + ";w=" + windowSeconds();
    }

    /** True when this caller's submits are counted. */
    public boolean applies(String owner) {
        return perSecond > 0 && (anonymous || !Job.ANONYMOUS.equals(owner));
    }

    /** The {@code RateLimit-Policy} field value. */
    public String policy() {
        return policy;
    }

    /** Takes {@code jobs} tokens from {@code client}'s bucket, or none when there are not enough. */
    public Decision take(String client, int jobs) {
        Bucket bucket = buckets.get(client, c -> Bucket.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1))).build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(jobs);
        long remaining = probe.getRemainingTokens();
        long reset = ceilSeconds((burst - remaining) * 1_000_000_000L / perSecond);
        if (probe.isConsumed()) {
            return new Decision(true, remaining, 0, reset);
        }
        long wait = jobs > burst ? windowSeconds() : Math.max(1, ceilSeconds(probe.getNanosToWaitForRefill()));
        return new Decision(false, remaining, wait, reset);
    }

    /** The {@code RateLimit} field value after a decision. */
    public String fieldValue(Decision decision) {
        return "\"submit\";r=" + decision.remaining() + ";t=" + decision.resetSeconds();
    }

    public long burst() {
        return burst;
    }

    private long windowSeconds() {
        return Math.max(1, ceilSeconds(burst * 1_000_000_000L / Math.max(perSecond, 1)));
    }

    private static long ceilSeconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
