package io.livequeue.producer.queue;

import io.livequeue.core.QueueNames;
import io.livequeue.core.config.QueuesConfig;
import io.livequeue.core.rdb.Queues;
import io.livequeue.producer.job.InvalidJobException;
import io.livequeue.producer.problem.FieldError;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registers a queue in Redis before its first job from this producer, so that gateways follow its events and
 * operators see it, and refuses a new queue past {@code livequeue.queues.max}. A producer registers each queue once
 * (it remembers the queues it registered), so the hot path pays nothing for it.
 */
@Singleton
public class QueueRegistrar {

    private static final int MAX_REMEMBERED = 10_000;

    private final Queues queues;
    private final QueuesConfig config;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    QueueRegistrar(Queues queues, QueuesConfig config) {
        this.queues = queues;
        this.config = config;
        registered.add(QueueNames.DEFAULT);
    }

    /** Completes when {@code queue} is registered; fails with a 400 when it is new and there is no room for it. */
    public Uni<Void> ensure(String queue) {
        if (registered.contains(queue)) {
            return Uni.createFrom().voidItem();
        }
        return queues.register(queue, config.max()).map(added -> {
            if (!added) {
                throw new InvalidJobException(List.of(new FieldError("queue", "there are " + config.max()
                        + " queues already, the most there may be (livequeue.queues.max): send to an existing queue")),
                        false);
            }
            if (registered.size() < MAX_REMEMBERED) {
                registered.add(queue);
            }
            return null;
        }).replaceWithVoid();
    }
}
