package io.livequeue.core.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Map;

/**
 * Which queue each job type goes to, shared by producers (they route) and consumers (they check at start that they
 * can run what their queues receive): {@code livequeue.queues.routes.sms=sms,sms-bulk}. Nothing is routed by default:
 * every job goes to {@code default} unless it names its queue.
 */
@ConfigMapping(prefix = "livequeue.queues")
public interface QueuesConfig {

    /** Job type to the queues it may go to; the first is where it goes when the job names none. */
    Map<String, List<String>> routes();

    /** The most queues there may be, {@code default} included; a job for one more is refused. */
    @WithDefault("100")
    int max();
}
