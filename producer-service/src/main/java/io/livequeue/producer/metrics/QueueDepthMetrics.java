package io.livequeue.producer.metrics;

import io.livequeue.core.Priority;
import io.livequeue.core.rdb.JobStore;
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
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToLongFunction;
import org.jboss.logging.Logger;

/**
 * {@code livequeue_queue_jobs{priority, state}}: waiting, active and dead jobs of each priority. A scrape never
 * touches Redis: the gauges read the last snapshot, which a Vert.x timer refreshes from {@link JobStore#counts()}
 * (one pipelined round trip) every {@code livequeue.producer.metrics-refresh}. Until the first refresh succeeds, and
 * while Redis is away, the gauges keep their last value (NaN before the first).
 */
@Singleton
public class QueueDepthMetrics {

    private static final Logger LOG = Logger.getLogger(QueueDepthMetrics.class);

    private final JobStore store;
    private final Vertx vertx;
    private final Duration refresh;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile Map<Priority, QueueCounts> snapshot;
    private long timer = -1;

    QueueDepthMetrics(JobStore store, Vertx vertx, MeterRegistry registry, ProducerConfig config) {
        this.store = store;
        this.vertx = vertx;
        this.refresh = config.metricsRefresh();
        for (Priority p : Priority.values()) {
            gauge(registry, p, "waiting", QueueCounts::waiting);
            gauge(registry, p, "active", QueueCounts::active);
            gauge(registry, p, "dead", QueueCounts::dead);
        }
    }

    private void gauge(MeterRegistry registry, Priority priority, String state, ToLongFunction<QueueCounts> read) {
        Gauge.builder("livequeue.queue.jobs", this, m -> m.value(priority, read))
                .description("Jobs per priority and state, refreshed from Redis every few seconds")
                .tag("priority", priority.wireName()).tag("state", state).register(registry);
    }

    private double value(Priority priority, ToLongFunction<QueueCounts> read) {
        Map<Priority, QueueCounts> counts = snapshot;
        QueueCounts c = counts == null ? null : counts.get(priority);
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
        store.counts().subscribe().with(counts -> {
            snapshot = counts;
            refreshing.set(false);
        }, failure -> {
            LOG.debugf("queue depth metrics not refreshed: %s", failure.getMessage());
            refreshing.set(false);
        });
    }
}
