package io.livequeue.producer.job;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** What the producer accepts; see the "producer" section of application.properties. */
@ConfigMapping(prefix = "livequeue.producer")
public interface ProducerConfig {

    /** Job types the consumers have handlers for; anything else is refused at submit. */
    @WithDefault("echo,sleep,fail,sms")
    Set<String> jobTypes();

    /** Largest payload of one job, in bytes of JSON; larger gets 413. */
    @WithDefault("65536")
    int maxPayloadBytes();

    /** Largest request body, in bytes; larger gets 413 (a batch of many big jobs must be split). */
    @WithDefault("4194304")
    long maxBodyBytes();

    /**
     * Request bodies (their declared lengths; {@link #maxBodyBytes()} for one sent in chunks) being read or handled at
     * once, beyond which a request gets 503 + Retry-After before its body is read; unset: a fifth of the heap.
     */
    Optional<Long> maxBodyBytesInFlight();

    /** Most jobs in one batch request. */
    @WithDefault("1000")
    int maxBatchSize();

    /** Waiting jobs (all priorities) beyond which new jobs get 429; 0 turns the limit off. */
    @WithDefault("1000000")
    long maxWaiting();

    /** How far ahead a job may be scheduled ({@code delay}, {@code runAt}) or given a deadline ({@code ttl}, {@code expiresAt}). */
    @WithDefault("366d")
    Duration maxDelay();

    /** How long an Idempotency-Key is remembered. */
    @WithDefault("24h")
    Duration idempotencyTtl();

    /** The Retry-After given with 429 and 503. */
    @WithDefault("1s")
    Duration retryAfter();

    /** How often the queue depth gauges at /q/metrics are refreshed from Redis. */
    @WithDefault("5s")
    Duration metricsRefresh();
}
