package io.livequeue.consumer.schedule;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The recurring schedules' scheduler of this consumer; see the "Recurring schedules" section of the README. */
@ConfigMapping(prefix = "livequeue.scheduler")
public interface SchedulerConfig {

    /**
     * Whether this consumer runs a scheduler. Every consumer may: there is no leader, each tick makes exactly one job
     * however many schedulers race for it; more of them only means a tick survives more of them being down.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * The longest a scheduler waits before it looks at the schedules again: it waits until the earliest next run,
     * but at most this long, so that it notices a schedule created or resumed meanwhile.
     */
    @WithDefault("1s")
    Duration poll();

    /**
     * A tick later than this is missed (every scheduler was down, or the queue was full that long): the schedule's
     * {@code missed} policy then makes one job for all its missed ticks ({@code run-once}) or none ({@code skip}).
     */
    @WithDefault("5s")
    Duration misfireThreshold();

    /**
     * Jobs waiting in a queue beyond which a tick's job is refused (as {@code livequeue.producer.max-waiting} refuses
     * a submit): the tick is retried at the next look, not skipped.
     */
    @WithDefault("1000000")
    long maxWaiting();

    /** Most due schedules handled per look at Redis; the rest are handled right after. */
    @WithDefault("100")
    int batch();
}
