package io.livequeue.gateway.events;

import io.livequeue.core.EventMessage;

/**
 * Something in the gateway that wants every job event from the Redis subscription: the socket routing
 * ({@code ClientRegistry}) and the dashboard's statistics ({@code DashboardFeed}) today. {@link EventSubscriber} hands
 * each event to every bean of this type, so neither needs to know about the other and a new consumer of events is one
 * more bean rather than one more call in the routing path. Only events from the subscription arrive here: the states
 * read back from stored jobs after re-subscribing are routed to clients alone, as they are not news.
 */
public interface JobEventListener {

    /** Called once for every event, on the subscription's event loop: keep it short and never block. */
    void onEvent(EventMessage message);
}
