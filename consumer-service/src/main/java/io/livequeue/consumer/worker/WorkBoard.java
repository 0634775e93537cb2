package io.livequeue.consumer.worker;

import io.livequeue.core.rdb.Turn;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a consumer knows about its queues between claims, so that idle workers wait in the process instead of on
 * Redis: which queues may have work (a claim that came back short marks a queue empty; a paused, full or rate-limited
 * queue is held until a wake-up marker, or until its rate window reopens), and wake-ups for the idle workers.
 * {@link QueueWaker}s feed it the markers that producers, heartbeats and finished jobs leave in Redis. A generation
 * per queue keeps a marker that arrives while a claim is in flight from being overwritten by that claim's "empty".
 * Scheduled jobs: every claim (and heartbeat) says when the queue's earliest scheduled job is due, and a timer per
 * queue wakes one worker at that instant, whose claim moves the due jobs to the line and takes one; so a scheduled job
 * starts within milliseconds of its time, without polling. Due times are on the Redis clock: the board keeps the
 * offset of this machine's clock to it, from the claims' replies.
 */
final class WorkBoard {

    /** Why a queue is not asked for work now. */
    private enum Hold { NONE, EMPTY, PAUSED, FULL, RATE }

    private static final class QueueState {
        final AtomicLong generation = new AtomicLong();
        volatile Hold hold = Hold.NONE;
        volatile long reopensAtNanos;
        /** The due time (Redis clock, epoch ms) the timer is set for, 0 when none; guarded by the state. */
        long timerDue;
        ScheduledFuture<?> timer;
    }

    private final Map<String, QueueState> states = new ConcurrentHashMap<>();
    /**
     * Idle workers wait on {@link #work}, wakers on {@link #someoneIdle}: a wake-up signals as many workers as it has
     * work for, never every idle thread (32 threads woken for one job showed up as milliseconds at p99 on 2 cores).
     */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition someoneIdle = lock.newCondition();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "livequeue-board-timer");
        thread.setDaemon(true);
        return thread;
    });
    private int idleWorkers;
    private int wakeUps;
    /** Redis clock minus this machine's, as the last claim saw it (ms). */
    private volatile long redisOffset;

    WorkBoard(List<String> queues) {
        queues.forEach(queue -> states.put(queue, new QueueState()));
    }

    /** Whether claims should go to {@code queue} now. */
    boolean open(String queue) {
        QueueState state = states.get(queue);
        if (state == null) {
            return false;
        }
        if (state.hold == Hold.RATE && System.nanoTime() - state.reopensAtNanos >= 0) {
            state.hold = Hold.NONE;
        }
        return state.hold == Hold.NONE;
    }

    boolean anyOpen() {
        return states.keySet().stream().anyMatch(this::open);
    }

    long generation(String queue) {
        return states.get(queue).generation.get();
    }

    /**
     * What a claim on {@code queue} sent at {@code generation} found: {@code asked} jobs wanted, {@code got} claimed,
     * and the queue's {@link Turn#throttle()}.
     */
    void claimed(String queue, long generation, int asked, int got, long throttle) {
        QueueState state = states.get(queue);
        if (state == null) {
            return;
        }
        if (throttle > 0) {
            state.reopensAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(throttle);
            state.hold = Hold.RATE;
            timers.schedule(() -> wake(queue, Integer.MAX_VALUE), throttle, TimeUnit.MILLISECONDS);
            return;
        }
        if (state.generation.get() != generation) {
            return; // a marker came meanwhile: the queue may have new work, whatever this claim saw
        }
        if (throttle == Turn.PAUSED) {
            state.hold = Hold.PAUSED;
        } else if (throttle == Turn.AT_CONCURRENCY_LIMIT && got < asked) {
            state.hold = Hold.FULL;
        } else if (got < asked) {
            state.hold = Hold.EMPTY;
        }
    }

    /**
     * The earliest scheduled job of {@code queue} is due at {@code nextDue} (Redis clock, epoch ms; 0: none is
     * scheduled), as a claim answered at {@code redisNow} (Redis clock; 0: not known, use the last offset): a timer wakes
     * one worker then, unless one is set for that time or earlier already.
     */
    void due(String queue, long nextDue, long redisNow) {
        QueueState state = states.get(queue);
        if (state == null || nextDue <= 0) {
            return;
        }
        long localNow = System.currentTimeMillis();
        if (redisNow > 0) {
            redisOffset = redisNow - localNow;
        }
        long delay = Math.max(0, nextDue - (localNow + redisOffset));
        synchronized (state) {
            if (state.timerDue > 0 && state.timerDue <= nextDue) {
                return;
            }
            if (state.timer != null) {
                state.timer.cancel(false);
            }
            state.timerDue = nextDue;
            state.timer = timers.schedule(() -> {
                synchronized (state) {
                    state.timerDue = 0;
                }
                marker(queue, "1", 1);
            }, delay, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * A wake-up marker of {@code queue} arrived ({@code 'r'} from an operator's resume or change of limits, {@code '1'}
     * from new work): the queue may have work for {@code count} workers. A paused queue only opens for an operator's
     * marker, a rate-limited one only when its window reopens.
     */
    void marker(String queue, String marker, int count) {
        QueueState state = states.get(queue);
        if (state == null) {
            return;
        }
        state.generation.incrementAndGet();
        boolean operator = "r".equals(marker);
        if (state.hold == Hold.PAUSED && !operator
                || state.hold == Hold.RATE && System.nanoTime() - state.reopensAtNanos < 0 && !operator) {
            return;
        }
        wake(queue, count);
    }

    /** A waker's wait ended without a marker: look once more (a safety net, never needed when markers flow). */
    void quiet(String queue) {
        QueueState state = states.get(queue);
        if (state != null && state.hold != Hold.RATE) {
            state.generation.incrementAndGet();
            wake(queue, 1);
        }
    }

    private void wake(String queue, int count) {
        QueueState state = states.get(queue);
        state.hold = Hold.NONE;
        lock.lock();
        try {
            int before = wakeUps;
            wakeUps = (int) Math.min(idleWorkers, (long) wakeUps + count);
            for (int i = before; i < wakeUps; i++) {
                work.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** How many workers are waiting for work now. */
    int idleWorkers() {
        lock.lock();
        try {
            return idleWorkers;
        } finally {
            lock.unlock();
        }
    }

    /**
     * An idle worker waits here for a wake-up, at most {@code maxMillis}. @return true when woken for work, false when
     * the wait ended (or was interrupted) without one
     */
    boolean awaitWork(long maxMillis) {
        long left = TimeUnit.MILLISECONDS.toNanos(maxMillis);
        lock.lock();
        try {
            idleWorkers++;
            someoneIdle.signalAll(); // a waker waiting for an idle worker may take markers now
            while (wakeUps == 0) {
                // a wake-up that came while no worker was idle (a due-time timer, say) left its queue open: it is
                // seen here, under the lock its wake() takes after opening the queue, so it is never lost
                if (anyOpen()) {
                    return true;
                }
                if (left <= 0) {
                    return false;
                }
                left = work.awaitNanos(left);
            }
            wakeUps--;
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            idleWorkers--;
            lock.unlock();
        }
    }

    /**
     * A waker waits here until some worker is idle, at most {@code maxMillis}: markers are taken from Redis only for
     * idle workers, so a busy consumer (which claims in its outcome calls) leaves them to consumers that wait.
     * @return the number of idle workers
     */
    int awaitIdleWorkers(long maxMillis) {
        long left = TimeUnit.MILLISECONDS.toNanos(maxMillis);
        lock.lock();
        try {
            while (idleWorkers == 0) {
                if (left <= 0) {
                    return 0;
                }
                left = someoneIdle.awaitNanos(left);
            }
            return idleWorkers;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return idleWorkers;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every idle worker and waker (shutdown). */
    void wakeAll() {
        lock.lock();
        try {
            wakeUps = idleWorkers;
            work.signalAll();
            someoneIdle.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void stop() {
        timers.shutdownNow();
    }
}
