package io.livequeue.bench;

import io.livequeue.core.EventMessage;
import io.livequeue.core.rdb.NewJob;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@code --mode pickup}: how soon an idle consumer starts on a job. With the queue empty, N times: one echo job is
 * enqueued straight into Redis and timed from just before the enqueue is sent to the arrival of its {@code active}
 * event, which claim.lua publishes in the step that hands the job to a worker; then its {@code completed} is
 * awaited before the next, so every job meets idle workers. The figure is an upper bound of enqueue → handler
 * start, as it includes the pub/sub hop back to the bench.
 */
final class PickupRun {

    private static final Duration NO_CONSUMER_AFTER = Duration.ofSeconds(5);
    /** One job that takes longer than this is counted lost and the run goes on. */
    private static final Duration JOB_WAIT = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final BenchOptions options;
    private final int jobs;
    private final Map<String, Integer> numbers = new HashMap<>();
    private final AtomicLongArray sentNanos;
    private final AtomicLongArray enqueuedNanos;
    private final AtomicLongArray activeNanos;
    private final AtomicLongArray completedNanos;
    private final AtomicIntegerArray completions;
    private final AtomicLong duplicated = new AtomicLong();
    private final AtomicLong wrong = new AtomicLong();
    private volatile CompletableFuture<Void> currentEnded = new CompletableFuture<>();
    private volatile int current = -1;

    PickupRun(Vertx vertx, BenchOptions options) {
        this.vertx = vertx;
        this.options = options;
        this.jobs = options.jobs();
        this.sentNanos = new AtomicLongArray(jobs);
        this.enqueuedNanos = new AtomicLongArray(jobs);
        this.activeNanos = new AtomicLongArray(jobs);
        this.completedNanos = new AtomicLongArray(jobs);
        this.completions = new AtomicIntegerArray(jobs);
    }

    String run() throws Exception {
        List<NewJob> all = EchoJobs.make(jobs, options.payloadBytes());
        for (int i = 0; i < jobs; i++) {
            numbers.put(all.get(i).id(), i);
        }
        long deadline = System.nanoTime() + options.timeout().toNanos();
        int sent = 0;
        int timedOut = 0;
        String lost;
        try (DirectRedis redis = new DirectRedis(vertx, options);
                EventTap tap = EventTap.open(vertx, options, redis.keys().events())) {
            redis.awaitEmptyQueue(NO_CONSUMER_AFTER, deadline);
            ConsumerProbe.check(redis, tap, NO_CONSUMER_AFTER);
            tap.listen(this::onEvent); // the volatile write publishes the id map to the event loop
            for (; sent < jobs && System.nanoTime() < deadline && tap.lost() == null; sent++) {
                if (!one(redis, all.get(sent), sent, deadline)) {
                    timedOut++;
                }
            }
            lost = tap.lost();
        }
        return report(sent, timedOut, lost);
    }

    /** Enqueues job {@code n} and waits for its end; false if it did not end in time. */
    private boolean one(DirectRedis redis, NewJob job, int n, long deadline) throws Exception {
        CompletableFuture<Void> ended = new CompletableFuture<>();
        currentEnded = ended; // before current: the event loop reads current first, then this
        current = n;
        Uni<Long> enqueue = redis.store().enqueue("default", List.of(job), 0); // the command is built here, sent on subscribe
        long sent = System.nanoTime();
        sentNanos.set(n, sent);
        enqueue.subscribe().with(createdAt -> enqueuedNanos.set(n, System.nanoTime()),
                failure -> ended.completeExceptionally(failure));
        try {
            ended.get(Math.max(0, Math.min(JOB_WAIT.toNanos(), deadline - sent)), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new StackNotReady("cannot enqueue at " + redis.where() + ": " + e.getCause().getMessage());
        }
    }

    private void onEvent(EventMessage event, long nanos) {
        Integer number = numbers.get(event.jobId());
        if (number == null) {
            return;
        }
        int n = number;
        switch (event.status()) {
            case ACTIVE -> activeNanos.compareAndSet(n, 0, nanos); // a retry's does not count
            case COMPLETED -> {
                if (completions.incrementAndGet(n) > 1) {
                    duplicated.incrementAndGet();
                    return;
                }
                if (EchoJobs.echoedNumber(event.eventJson()) != n) {
                    wrong.incrementAndGet();
                }
                completedNanos.set(n, nanos);
                endIfCurrent(n);
            }
            case FAILED -> wrong.incrementAndGet();
            case DEAD -> {
                wrong.incrementAndGet();
                endIfCurrent(n);
            }
            default -> {
            }
        }
    }

    private void endIfCurrent(int n) {
        if (current == n) {
            currentEnded.complete(null);
        }
    }

    private String report(int sent, int timedOut, String tapLost) throws Exception {
        long[] pickup = new long[sent];
        long[] enqueue = new long[sent];
        long[] inWorker = new long[sent];
        int p = 0;
        int e = 0;
        int w = 0;
        long completed = 0;
        for (int i = 0; i < sent; i++) {
            long active = activeNanos.get(i);
            if (active != 0) {
                pickup[p++] = active - sentNanos.get(i);
            }
            if (enqueuedNanos.get(i) != 0) {
                enqueue[e++] = enqueuedNanos.get(i) - sentNanos.get(i);
            }
            if (completions.get(i) > 0) {
                completed++;
                if (active != 0) {
                    inWorker[w++] = completedNanos.get(i) - active;
                }
            }
        }
        ModeReport report = new ModeReport(options.mode().wireName, options.describe())
                .count("jobs", "jobs", jobs)
                .count("sent", "sent", sent)
                .count("completed", "completed", completed)
                .count("lost", "lost", sent - completed)
                .count("duplicated", "duplicated", duplicated.get())
                .count("wrong", "wrong", wrong.get())
                .timing("pickup", "**pickup**: enqueue sent → `active` event received", Arrays.copyOf(pickup, p))
                .timing("enqueue", "enqueue sent → enqueue answered", Arrays.copyOf(enqueue, e))
                .timing("inWorker", "`active` event → `completed` event (echo, idle consumer)",
                        Arrays.copyOf(inWorker, w))
                .note("Pickup is an upper bound of the time from enqueue to the handler's start: the `active` event is "
                        + "published by claim.lua at the moment a worker takes the job, and the figure includes that "
                        + "event's pub/sub hop back to the bench. Each job is enqueued only after the previous one "
                        + "completed, so every job meets idle workers.");
        if (sent < jobs) {
            report.note((jobs - sent) + " jobs were not sent: the time-out (" + options.timeout().toSeconds()
                    + " s) passed first.");
        }
        if (timedOut > 0) {
            report.note(timedOut + " jobs did not end within " + JOB_WAIT.toSeconds() + " s each.");
        }
        if (tapLost != null && !tapLost.equals("closed by the bench")) {
            report.note("The events subscription ended early (" + tapLost + "): later events were not seen.");
        }
        return report.write(options.out());
    }
}
