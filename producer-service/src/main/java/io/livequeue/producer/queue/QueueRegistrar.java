package io.livequeue.producer.queue;

import io.livequeue.core.QueueNames;
import io.livequeue.core.config.QueuesConfig;
import io.livequeue.core.rdb.Queues;
import io.livequeue.producer.job.InvalidJobException;
import io.livequeue.producer.problem.FieldError;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.List;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registers a queue in Redis before its first job from this producer, so that gateways follow its events and
 * operators see it, and refuses a new queue past {@code livequeue.queues.max}. A producer remembers the queues it
 * registered for {@link #REMEMBER} (so the hot path pays one round trip per queue per ten seconds at most), then
 * registers again: a Redis that lost its data meanwhile gets its registry back.
 */
@Singleton
public class QueueRegistrar {

    static final Duration REMEMBER = Duration.ofSeconds(10);

    private final Queues queues;
    private final QueuesConfig config;
    private final Map<String, Long> registeredAt = new ConcurrentHashMap<>();

    QueueRegistrar(Queues queues, QueuesConfig config) {
        this.queues = queues;
        this.config = config;
    }

    /** Completes when {@code queue} is registered; fails with a 400 when it is new and there is no room for it. */
    public Uni<Void> ensure(String queue) {
        Long at = registeredAt.get(queue);
        if (QueueNames.DEFAULT.equals(queue) || at != null && System.nanoTime() - at < REMEMBER.toNanos()) {
            return Uni.createFrom().voidItem();
        }
        return queues.register(queue, config.max()).map(added -> {
            if (!added) {
                throw new InvalidJobException(List.of(new FieldError("queue", "there are " + config.max()
                        + " queues already, the most there may be (livequeue.queues.max): send to an existing queue")),
                        false);
            }
            registeredAt.put(queue, System.nanoTime()); // bounded: at most livequeue.queues.max names get here
            return null;
        }).replaceWithVoid();
    }
}
