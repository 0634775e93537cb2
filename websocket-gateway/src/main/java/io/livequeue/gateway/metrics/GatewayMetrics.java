package io.livequeue.gateway.metrics;

import io.livequeue.gateway.events.EventSubscriber;
import io.livequeue.gateway.socket.ClientRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;

/**
 * The gateway's meters, all read from counts the registry and the subscriber keep anyway; a scrape reads them, the
 * event path does nothing more:
 * <ul>
 * <li>{@code livequeue_gateway_connections}: open WebSocket connections</li>
 * <li>{@code livequeue_gateway_watched_jobs}: jobs at least one client watches</li>
 * <li>{@code livequeue_gateway_events_delivered_total}: events sent to sockets (one per socket)</li>
 * <li>{@code livequeue_gateway_clients_closed_total{reason="slow"|"dead"|"flood"}}: sockets closed for a full
 * outgoing queue, for silence past the idle time-out, or for sending over their frame allowance too long</li>
 * <li>{@code livequeue_gateway_connections_refused_total{reason="full"|"address"}}: client sockets refused because
 * the gateway was full, or because their address held its share</li>
 * <li>{@code livequeue_gateway_frames_dropped_total}: client frames dropped over their socket's allowance</li>
 * <li>{@code livequeue_gateway_resubscriptions_total}: Redis pub/sub subscriptions made again after a loss</li>
 * </ul>
 */
@Startup
@Singleton
public class GatewayMetrics {

    GatewayMetrics(MeterRegistry registry, ClientRegistry clients, EventSubscriber subscriber) {
        Gauge.builder("livequeue.gateway.connections", clients, ClientRegistry::connections)
                .description("Open WebSocket connections").register(registry);
        Gauge.builder("livequeue.gateway.watched.jobs", clients, ClientRegistry::watchedJobs)
                .description("Jobs at least one client watches").register(registry);
        FunctionCounter.builder("livequeue.gateway.events.delivered", clients, ClientRegistry::eventsDelivered)
                .description("Job events sent to sockets, one per socket").register(registry);
        FunctionCounter.builder("livequeue.gateway.clients.closed", clients, ClientRegistry::slowClientsClosed)
                .description("Sockets the gateway closed").tag("reason", "slow").register(registry);
        FunctionCounter.builder("livequeue.gateway.clients.closed", clients, ClientRegistry::deadClientsClosed)
                .description("Sockets the gateway closed").tag("reason", "dead").register(registry);
        FunctionCounter.builder("livequeue.gateway.clients.closed", clients, ClientRegistry::floodingClientsClosed)
                .description("Sockets the gateway closed").tag("reason", "flood").register(registry);
        FunctionCounter.builder("livequeue.gateway.connections.refused", clients, ClientRegistry::refusedFull)
                .description("Client sockets refused").tag("reason", "full").register(registry);
        FunctionCounter.builder("livequeue.gateway.connections.refused", clients, ClientRegistry::refusedAddress)
                .description("Client sockets refused").tag("reason", "address").register(registry);
        FunctionCounter.builder("livequeue.gateway.frames.dropped", clients, ClientRegistry::framesDropped)
                .description("Client frames dropped over their socket's frame allowance").register(registry);
        FunctionCounter.builder("livequeue.gateway.resubscriptions", subscriber, EventSubscriber::resubscriptions)
                .description("Redis event subscriptions made again after the connection was lost").register(registry);
    }
}
