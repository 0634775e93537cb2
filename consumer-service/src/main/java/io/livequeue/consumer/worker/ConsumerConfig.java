package io.livequeue.consumer.worker;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The worker pool and the built-in handlers; see the "consumer" section of application.properties. */
@ConfigMapping(prefix = "livequeue.consumer")
public interface ConsumerConfig {

    /**
     * Concurrent workers. Each needs a connection of the "blocking" Redis client while it waits for work. Their
     * outcomes and claims share round trips ({@link ClaimBatcher}), so more workers also mean bigger batches.
     */
    @WithDefault("32")
    int workers();

    /**
     * The queues this consumer takes jobs from: names in strict order ({@code critical,default}: a lower queue only
     * while every higher one is empty) or each with a weight ({@code critical:6,default:3,low:1}: claims spread over
     * the queues that have work in that proportion). See {@link QueueSelector}.
     */
    @WithDefault("default")
    List<String> queues();

    /**
     * The job types this consumer runs (its handlers); unset: every handler it has. Jobs of other types that reach it
     * are handed back for another consumer of the queue.
     */
    Optional<List<String>> handlers();

    /**
     * Refuse to start when a listened queue receives types ({@code livequeue.queues.routes}) this consumer has no
     * handler for. Set false to start anyway (such jobs are retried until a consumer with the handler takes them).
     */
    @WithDefault("true")
    boolean requireRoutedHandlers();

    /** Names this consumer in Redis (the job's {@code consumer} field); defaults to host name and process id. */
    Optional<String> id();

    /**
     * How long a claimed job belongs to its worker without a heartbeat. A consumer that dies stops extending it,
     * and its jobs are taken back by another consumer's heartbeat within this time plus {@link #heartbeat()}.
     */
    @WithDefault("4s")
    Duration lease();

    /** How often the consumer extends the leases of its running jobs; well below {@link #lease()}. */
    @WithDefault("1s")
    Duration heartbeat();

    /**
     * How long a queue's waker blocks on its wake-up list before the consumer looks at the queue again (a safety net:
     * markers wake idle workers at once).
     */
    @WithDefault("1s")
    Duration idleWait();

    /** How long completed and dead jobs are kept in Redis. */
    @WithDefault("24h")
    Duration retention();

    /** On shutdown, how long running jobs may take to finish before they are handed back to the queue. */
    @WithDefault("10s")
    Duration shutdownGrace();

    /** Delay before the first retry; each further retry doubles it (with jitter), up to {@link #retryMaxDelay()}. */
    @WithDefault("1s")
    Duration retryBaseDelay();

    @WithDefault("5m")
    Duration retryMaxDelay();

    /** How long one attempt may run, unless {@link #handlerTimeouts()} names its type. */
    @WithDefault("2m")
    Duration handlerTimeout();

    /**
     * The shortest time between two progress reports of one job that reach Redis and its watchers (a handler may
     * report more often: the newest waits, and the last is always sent before the outcome).
     */
    @WithDefault("100ms")
    Duration progressInterval();

    /** Per job type: {@code livequeue.consumer.handler-timeouts.sms=30s}. */
    Map<String, Duration> handlerTimeouts();

    /** The longest {@code sleep} job accepted. */
    @WithDefault("60s")
    Duration sleepMax();

    /** The longest {@code sms} message accepted (ten concatenated segments). */
    @WithDefault("1600")
    int smsMaxLength();
}
