package io.livequeue.gateway.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livequeue.gateway.dashboard.DashboardMessages.DeadView;
import io.livequeue.gateway.dashboard.DashboardMessages.Stats;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The dashboard's heartbeat: once a second, while at least one operator listens, it reads the queues once, encodes
 * one {@code stats} frame and hands that same text to every operator, so the cost does not grow with the number of
 * open dashboards. The dead jobs' documents are read only when the newest dead ids or the dead count changed. A tick
 * that finds the previous one still waiting for Redis is skipped instead of piling reads up.
 */
@Singleton
public class StatsTicker {

    private static final Logger LOG = Logger.getLogger(StatsTicker.class);
    private static final long EVERY_MS = 1000;
    /** Seconds of chart points in each stats frame; the page merges them by time, so a late tick loses nothing. */
    private static final int RECENT_SECONDS = 5;

    private final Vertx vertx;
    private final DashboardReader reader;
    private final DashboardFeed feed;
    private final Operators operators;
    private final ObjectMapper mapper;
    private final AtomicBoolean reading = new AtomicBoolean();
    private long timer = -1;
    private volatile List<String> lastDeadIds;
    private volatile long lastDeadTotal = -1;
    private volatile long ticks;

    StatsTicker(Vertx vertx, DashboardReader reader, DashboardFeed feed, Operators operators, ObjectMapper mapper) {
        this.vertx = vertx;
        this.reader = reader;
        this.feed = feed;
        this.operators = operators;
        this.mapper = mapper;
    }

    synchronized void ensureRunning() {
        if (timer < 0) {
            timer = vertx.setPeriodic(EVERY_MS, id -> tick());
        }
    }

    synchronized void stopIfIdle() {
        if (timer >= 0 && operators.listening() == 0) {
            vertx.cancelTimer(timer);
            timer = -1;
            lastDeadIds = null;
        }
    }

    public synchronized boolean isRunning() {
        return timer >= 0;
    }

    /** Stats frames computed since start (each once, whatever the number of operators). */
    public long ticks() {
        return ticks;
    }

    /** The full picture for an operator who just authenticated: the charts' whole history and the dead list. */
    Uni<String> snapshot() {
        long second = System.currentTimeMillis() / 1000;
        return reader.read().flatMap(reading -> reader.firstDeadPage(reading).map(dead -> encode(new Stats(
                "snapshot", System.currentTimeMillis(), reading.queues(), reading.named(), reading.consumers(), dead,
                feed.series(second - DashboardFeed.SECONDS, second), reading.schedules()))));
    }

    private void tick() {
        if (operators.listening() == 0 || !reading.compareAndSet(false, true)) {
            return;
        }
        long second = System.currentTimeMillis() / 1000;
        reader.read().flatMap(reading -> {
            boolean deadChanged = reading.deadTotal() != lastDeadTotal || !reading.deadIds().equals(lastDeadIds);
            lastDeadTotal = reading.deadTotal();
            lastDeadIds = reading.deadIds();
            Uni<DeadView> dead = deadChanged ? reader.firstDeadPage(reading) : Uni.createFrom().nullItem();
            return dead.map(page -> encode(new Stats("stats", System.currentTimeMillis(), reading.queues(),
                    reading.named(), reading.consumers(), page, feed.series(second - RECENT_SECONDS, second),
                    reading.schedules())));
        }).subscribe().with(text -> {
            ticks++;
            reading.set(false);
            operators.broadcast(text);
        }, failure -> {
            reading.set(false);
            lastDeadIds = null; // read the dead list again once Redis is back
            LOG.debugf("dashboard stats not read: %s", failure.getMessage());
            operators.broadcast(encode(new DashboardMessages.ErrorEvent("unavailable",
                    "Redis did not answer: the numbers shown are from the last successful read")));
        });
    }

    String encode(Object message) {
        try {
            return mapper.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
