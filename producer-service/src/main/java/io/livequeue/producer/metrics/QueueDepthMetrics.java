package io.livequeue.producer.metrics;

import io.livequeue.core.Priority;
import io.livequeue.core.QueueNames;
import io.livequeue.core.rdb.QueueState;
import io.livequeue.core.rdb.Queues;
import io.livequeue.core.rdb.QueueCounts;
import io.livequeue.producer.job.ProducerConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToLongFunction;
import org.jboss.logging.Logger;

/**
 * {@code livequeue_queue_jobs{queue, priority, state}}: waiting, active and dead jobs of each queue and priority. A
 * scrape never touches Redis: the gauges read the last snapshot, which a Vert.x timer refreshes from
 * {@link Queues#states()} (one pipelined round trip per queue) every {@code livequeue.producer.metrics-refresh}; a
 * queue's gauges appear with the first snapshot that has it. While Redis is away the gauges keep their last value
 * (NaN before the first snapshot).
 */
@Singleton
public class QueueDepthMetrics {

    private static final Logger LOG = Logger.getLogger(QueueDepthMetrics.class);

    private final Queues queues;
    private final Vertx vertx;
    private final MeterRegistry registry;
    private final Duration refresh;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private volatile Map<String, QueueState> snapshot = Map.of();
    private long timer = -1;

    QueueDepthMetrics(Queues queues, Vertx vertx, MeterRegistry registry, ProducerConfig config) {
        this.queues = queues;
        this.vertx = vertx;
        this.registry = registry;
        this.refresh = config.metricsRefresh();
        register(QueueNames.DEFAULT);
    }

    private void register(String queue) {
        if (!registered.add(queue)) {
            return;
        }
        for (Priority p : Priority.values()) {
            gauge(queue, p, "waiting", QueueCounts::waiting);
            gauge(queue, p, "active", QueueCounts::active);
            gauge(queue, p, "dead", QueueCounts::dead);
        }
    }

    private void gauge(String queue, Priority priority, String state, ToLongFunction<QueueCounts> read) {
        Gauge.builder("livequeue.queue.jobs", this, m -> m.value(queue, priority, read))
                .description("Jobs per queue, priority and state, refreshed from Redis every few seconds")
                .tag("queue", queue).tag("priority", priority.wireName()).tag("state", state).register(registry);
    }

    private double value(String queue, Priority priority, ToLongFunction<QueueCounts> read) {
        QueueState state = snapshot.get(queue);
        QueueCounts c = state == null ? null : state.counts().get(priority);
        return c == null ? Double.NaN : read.applyAsLong(c);
    }

    void start(@Observes StartupEvent event) {
        refresh();
        timer = vertx.setPeriodic(Math.max(100, refresh.toMillis()), id -> refresh());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Non-blocking; skipped while the previous refresh is still waiting for Redis. */
    private void refresh() {
        if (!refreshing.compareAndSet(false, true)) {
            return;
        }
        queues.states().subscribe().with(states -> {
            Map<String, QueueState> byName = new HashMap<>();
            states.forEach(state -> {
                byName.put(state.name(), state);
                register(state.name());
            });
            snapshot = byName;
            refreshing.set(false);
        }, failure -> {
            LOG.debugf("queue depth metrics not refreshed: %s", failure.getMessage());
            refreshing.set(false);
        });
    }
}
