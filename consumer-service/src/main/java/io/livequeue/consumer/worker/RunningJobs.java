package io.livequeue.consumer.worker;

import io.livequeue.core.rdb.ClaimedJob;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The jobs this consumer's workers are running right now, with the deadline of each attempt. The heartbeat extends
 * their leases from this list; a job past its deadline (a timer fires at the deadline; the heartbeat checks again),
 * or still running when the stop grace ends, is interrupted and its {@link Attempt#stopReason()} tells the worker
 * what to record.
 */
@Singleton
public class RunningJobs {

    /** Why an attempt was interrupted. */
    public enum StopReason { NONE, TIMED_OUT, SHUTDOWN }

    /** One attempt in progress on one worker thread. */
    public static final class Attempt {
        private final ClaimedJob job;
        private final Thread thread;
        private final long deadlineNanos;
        private volatile StopReason stopReason = StopReason.NONE;
        private ScheduledFuture<?> timer;
        private boolean ended;

        Attempt(ClaimedJob job, Thread thread, long deadlineNanos) {
            this.job = job;
            this.thread = thread;
            this.deadlineNanos = deadlineNanos;
        }

        public ClaimedJob job() {
            return job;
        }

        public StopReason stopReason() {
            return stopReason;
        }

        boolean isOverdue(long nowNanos) {
            return nowNanos - deadlineNanos > 0;
        }

        /** After this no stop interrupts the worker's thread, which has moved on to record the outcome. */
        synchronized void ended() {
            ended = true;
        }

        synchronized void stop(StopReason reason) {
            if (!ended && stopReason == StopReason.NONE) {
                stopReason = reason;
                thread.interrupt();
            }
        }
    }

    private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, r -> {
        Thread thread = new Thread(r, "livequeue-timeouts");
        thread.setDaemon(true);
        return thread;
    });

    RunningJobs() {
        timers.setRemoveOnCancelPolicy(true); // most attempts end long before their time-out
    }

    Attempt begin(ClaimedJob job, long timeoutNanos) {
        Attempt attempt = new Attempt(job, Thread.currentThread(), System.nanoTime() + timeoutNanos);
        attempts.put(job.id(), attempt);
        attempt.timer = timers.schedule(() -> attempt.stop(StopReason.TIMED_OUT), timeoutNanos, TimeUnit.NANOSECONDS);
        return attempt;
    }

    void end(Attempt attempt) {
        attempt.ended();
        attempt.timer.cancel(false);
        attempts.remove(attempt.job().id(), attempt);
    }

    /** Interrupts the attempts past their deadline and returns the others, whose leases should be extended. */
    List<ClaimedJob> stopOverdueAndList() {
        long now = System.nanoTime();
        attempts.values().stream().filter(a -> a.isOverdue(now)).forEach(a -> a.stop(StopReason.TIMED_OUT));
        return attempts.values().stream().filter(a -> a.stopReason() == StopReason.NONE).map(Attempt::job).toList();
    }

    void stopAll() {
        attempts.values().forEach(a -> a.stop(StopReason.SHUTDOWN));
    }

    public int size() {
        return attempts.size();
    }
}
