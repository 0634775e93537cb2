package io.livequeue.consumer.worker;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The worker pool and the built-in handlers; see the "consumer" section of application.properties. */
@ConfigMapping(prefix = "livequeue.consumer")
public interface ConsumerConfig {

    /** Concurrent workers. Each needs a connection of the "blocking" Redis client while it waits for work. */
    @WithDefault("8")
    int workers();

    /** Names this consumer in Redis (the job's {@code consumer} field); defaults to host name and process id. */
    Optional<String> id();

    /** How long a claimed job belongs to its worker before it may be taken back. */
    @WithDefault("30s")
    Duration lease();

    /** How long an idle worker blocks on the wake-up list before it looks at the queues again. */
    @WithDefault("2s")
    Duration idleWait();

    /** How long completed and dead jobs are kept in Redis. */
    @WithDefault("24h")
    Duration retention();

    /** On shutdown, how long running jobs may take to finish. */
    @WithDefault("10s")
    Duration shutdownGrace();

    /** The longest {@code sleep} job accepted. */
    @WithDefault("60s")
    Duration sleepMax();

    /** The longest {@code sms} message accepted (ten concatenated segments). */
    @WithDefault("1600")
    int smsMaxLength();
}
