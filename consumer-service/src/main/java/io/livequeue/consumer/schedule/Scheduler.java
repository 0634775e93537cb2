package io.livequeue.consumer.schedule;

import io.livequeue.core.rdb.QueueFullException;
import io.livequeue.core.rdb.Schedules;
import io.livequeue.core.rdb.TickOutcome;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Runs the recurring schedules' ticks from this consumer, on a thread of its own: it reads the earliest next run,
 * waits until then (at most {@link SchedulerConfig#poll()}, to notice new schedules), and ticks every due schedule
 * with {@link Schedules#tick}. Every consumer runs one and none leads: the tick protocol makes one job per tick
 * however many race, and a scheduler that dies mid-tick is repaired by the next. A full queue or an unreachable Redis
 * is logged and the tick tried again at the next look, never skipped silently. Time is the Redis clock's, so
 * consumers whose clocks disagree still agree on what is due.
 */
@Singleton
public class Scheduler {

    private static final Logger LOG = Logger.getLogger(Scheduler.class);
    private static final Duration CALL_LIMIT = Duration.ofSeconds(30);
    private static final int MAX_REMEMBERED = 1024;

    private final Schedules schedules;
    private final SchedulerConfig config;
    private final Object wakeUp = new Object();
    private final Set<String> reportedBroken = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private Thread thread;
    private boolean failing;

    Scheduler(Schedules schedules, SchedulerConfig config) {
        this.schedules = schedules;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.enabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Starts the scheduler's thread (again, after a stop). */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "livequeue-scheduler");
        thread.setDaemon(true);
        thread.start();
        LOG.infof("scheduler started (poll %s, misfire threshold %s)", config.poll(), config.misfireThreshold());
    }

    /** Stops it, waiting for the tick in progress to end (a Redis call at most). */
    public synchronized void stop() {
        Thread stopping = thread;
        if (stopping == null) {
            return;
        }
        running = false;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        try {
            stopping.join(CALL_LIMIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    private void loop() {
        while (running) {
            Duration wait;
            try {
                wait = round();
                if (failing) {
                    failing = false;
                    LOG.info("scheduler: Redis answers again");
                }
            } catch (RuntimeException e) {
                if (!failing) {
                    LOG.warnf("scheduler: cannot read the schedules, trying again every %s: %s", config.poll(),
                            e.getMessage());
                }
                failing = true;
                wait = config.poll();
            }
            pause(wait);
        }
    }

    /** Ticks what is due now. @return how long to wait before the next look (zero: look again at once) */
    Duration round() {
        Schedules.Round round = schedules.due(config.batch()).await().atMost(CALL_LIMIT);
        int moved = 0;
        for (Schedules.Due due : round.due()) {
            if (!running) {
                break;
            }
            if (due.spec() == null) {
                if (reportedBroken.size() < MAX_REMEMBERED && reportedBroken.add(due.name())) {
                    LOG.errorf("schedule %s cannot be read (written by a newer release, or damaged): not run; "
                            + "replace it with a PUT", due.name());
                }
                continue;
            }
            if (tick(due, round.now())) {
                moved++;
            }
        }
        if (moved > 0) {
            return Duration.ZERO; // more may be due: a scheduler a little behind catches up tick by tick
        }
        if (round.earliest() == null || round.earliest() <= round.now()) {
            return config.poll(); // nothing, or only ticks that failed: try again after a poll
        }
        Duration until = Duration.ofMillis(round.earliest() - round.now() + 1);
        return until.compareTo(config.poll()) < 0 ? until : config.poll();
    }

    /** One due tick. @return whether the schedule moved on (this scheduler or another advanced it) */
    private boolean tick(Schedules.Due due, long now) {
        try {
            TickOutcome outcome = schedules.tick(due, now, config.misfireThreshold(), config.maxWaiting())
                    .await().atMost(CALL_LIMIT);
            if (outcome.advanced()) {
                log(outcome, now);
            }
            return true;
        } catch (QueueFullException e) {
            LOG.warnf("schedule %s: the queue %s is full (%d jobs waiting): the tick of %s is tried again in %s",
                    due.name(), due.spec().job().queue(), e.waiting(), Instant.ofEpochMilli(due.tick()),
                    config.poll());
        } catch (RuntimeException e) {
            LOG.warnf("schedule %s: the tick of %s failed, tried again in %s: %s", due.name(),
                    Instant.ofEpochMilli(due.tick()), config.poll(), e.getMessage());
        }
        return false;
    }

    private static void log(TickOutcome outcome, long now) {
        Instant tick = Instant.ofEpochMilli(outcome.tick());
        Object next = outcome.next() == null ? "none" : Instant.ofEpochMilli(outcome.next());
        switch (outcome.outcome()) {
            case "run" -> {
                if (outcome.missed()) {
                    LOG.infof("schedule %s: ticks missed since %s (%d ms late): one job %s for them (missed: run-once), "
                            + "next run %s", outcome.name(), tick, now - outcome.tick(), outcome.jobId(), next);
                } else {
                    LOG.debugf("schedule %s: tick %s made job %s, next run %s", outcome.name(), tick, outcome.jobId(),
                            next);
                }
            }
            case "missed" -> LOG.infof("schedule %s: ticks missed since %s (%d ms late) skipped (missed: skip), next "
                    + "run %s", outcome.name(), tick, now - outcome.tick(), next);
            default -> LOG.infof("schedule %s: tick %s skipped, its previous job is still running (overlap: skip), "
                    + "next run %s", outcome.name(), tick, next);
        }
    }

    private void pause(Duration wait) {
        if (wait.isZero() || wait.isNegative()) {
            return;
        }
        long until = System.nanoTime() + wait.toNanos();
        synchronized (wakeUp) {
            for (long left = wait.toNanos(); running && left > 0; left = until - System.nanoTime()) {
                try {
                    wakeUp.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
    }
}
