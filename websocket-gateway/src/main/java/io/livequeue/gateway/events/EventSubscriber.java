package io.livequeue.gateway.events;

import io.livequeue.core.EventMessage;
import io.livequeue.core.rdb.RedisKeys;
import io.livequeue.gateway.socket.ClientRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The gateway's one Redis subscription: every status change of every job arrives here once and is routed to the
 * sockets that want it. If the subscription breaks (Redis restarted, connection lost) it is made again with
 * back-off; readiness is down meanwhile.
 */
@Singleton
public class EventSubscriber {

    private static final Logger LOG = Logger.getLogger(EventSubscriber.class);

    private final ReactiveRedisDataSource redis;
    private final RedisKeys keys;
    private final ClientRegistry registry;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private volatile Cancellable subscription;

    EventSubscriber(ReactiveRedisDataSource redis, RedisKeys keys, ClientRegistry registry) {
        this.redis = redis;
        this.keys = keys;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        subscription = redis.pubsub(String.class).subscribe(keys.events())
                .onSubscription().invoke(() -> {
                    subscribed.set(true);
                    LOG.infof("subscribed to %s", keys.events());
                })
                .onFailure().invoke(e -> {
                    subscribed.set(false);
                    LOG.warnf("event subscription lost, subscribing again: %s", e.getMessage());
                })
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).indefinitely()
                .subscribe().with(this::onMessage);
    }

    void stop(@Observes ShutdownEvent event) {
        Cancellable current = subscription;
        if (current != null) {
            current.cancel();
        }
    }

    public boolean isSubscribed() {
        return subscribed.get();
    }

    private void onMessage(String text) {
        try {
            registry.route(EventMessage.parse(text));
        } catch (IllegalArgumentException e) {
            LOG.warnf("ignored a malformed message on %s: %s", keys.events(), e.getMessage());
        }
    }
}
