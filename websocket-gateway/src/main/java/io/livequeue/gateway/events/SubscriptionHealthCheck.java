package io.livequeue.gateway.events;

import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready while the event subscription is down: such a gateway would accept sockets it cannot serve. */
@Readiness
@Singleton
public class SubscriptionHealthCheck implements HealthCheck {

    private final EventSubscriber subscriber;

    SubscriptionHealthCheck(EventSubscriber subscriber) {
        this.subscriber = subscriber;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("event-subscription").status(subscriber.isSubscribed()).build();
    }
}
