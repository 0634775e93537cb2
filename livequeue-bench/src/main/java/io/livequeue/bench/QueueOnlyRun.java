package io.livequeue.bench;

import io.livequeue.core.EventMessage;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.NewJob;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code --mode queue-only}: how fast the consumers get through jobs when nothing else is in the way (no producer,
 * no gateway, no HTTP or WebSocket). M echo jobs are written straight into Redis in pipelined batches, far faster
 * than they drain, so the queue is pre-filled; the consumers' lifecycle rate is the jobs that ended after the fill over
 * the time from the end of the fill to the last final event (while the fill runs the generator takes CPU from them),
 * and the rate counted from the first {@code active} event, fill included, is reported next to it. Every event is
 * matched to its job by id, so lost, duplicated and wrong results are counted as in the end-to-end mode.
 */
final class QueueOnlyRun {

    static final int FILL_BATCH = 1000;
    /** A few batches in flight hide the round trip; Redis runs scripts one at a time, so more would only queue. */
    static final int FILL_IN_FLIGHT = 4;
    private static final Duration NO_CONSUMER_AFTER = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final BenchOptions options;
    private final int jobs;
    private final Map<String, Integer> numbers = new HashMap<>();
    private final AtomicLongArray activeNanos;
    private final AtomicLongArray inWorkerNanos;
    /** Enqueued → claimed per job, from the envelope's times (Redis clock, whole ms); -1 until claimed. */
    private final AtomicLongArray pickupNanos;
    private final AtomicIntegerArray completions;
    private final AtomicIntegerArray ended;
    private final AtomicLong firstActive = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastFinal = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong finals = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong duplicated = new AtomicLong();
    private final AtomicLong wrong = new AtomicLong();

    QueueOnlyRun(Vertx vertx, BenchOptions options) {
        this.vertx = vertx;
        this.options = options;
        this.jobs = options.jobs();
        this.activeNanos = new AtomicLongArray(jobs);
        this.inWorkerNanos = new AtomicLongArray(jobs);
        this.pickupNanos = new AtomicLongArray(jobs);
        for (int i = 0; i < jobs; i++) {
            pickupNanos.set(i, -1);
        }
        this.completions = new AtomicIntegerArray(jobs);
        this.ended = new AtomicIntegerArray(jobs);
    }

    private record Fill(long startNanos, long endNanos, long enqueued, String firstError) {
    }

    String run() throws Exception {
        List<NewJob> all = EchoJobs.make(jobs, options.payloadBytes());
        for (int i = 0; i < jobs; i++) {
            numbers.put(all.get(i).id(), i);
        }
        long deadline = System.nanoTime() + options.timeout().toNanos();
        Fill fill;
        String lost;
        long malformed;
        long doneDuringFill;
        try (DirectRedis redis = new DirectRedis(vertx, options);
                EventTap tap = EventTap.open(vertx, options, redis.keys().events())) {
            redis.awaitEmptyQueue(NO_CONSUMER_AFTER, deadline);
            ConsumerProbe.check(redis, tap, NO_CONSUMER_AFTER);
            tap.listen(this::onEvent); // the volatile write publishes the id map to the event loop
            fill = fill(redis.store(), all, deadline);
            doneDuringFill = finals.get();
            while (finals.get() < fill.enqueued() && System.nanoTime() < deadline && tap.lost() == null) {
                if (firstActive.get() == Long.MAX_VALUE
                        && System.nanoTime() - fill.startNanos() > NO_CONSUMER_AFTER.toNanos()) {
                    throw new StackNotReady("the consumers stopped: none of " + fill.enqueued() + " jobs became "
                            + "active within " + NO_CONSUMER_AFTER.toSeconds() + " s (they stay queued at "
                            + redis.where() + ")");
                }
                TimeUnit.MILLISECONDS.sleep(20); // the work runs in Redis and the consumers; this only waits
            }
            lost = tap.lost();
            malformed = tap.malformed();
        }
        return report(fill, doneDuringFill, lost, malformed);
    }

    /** Writes the batches, {@link #FILL_IN_FLIGHT} at a time, building the next one while the others travel. */
    private Fill fill(JobStore store, List<NewJob> all, long deadline) throws InterruptedException {
        int batches = (jobs + FILL_BATCH - 1) / FILL_BATCH;
        Semaphore slots = new Semaphore(FILL_IN_FLIGHT);
        CountDownLatch answered = new CountDownLatch(batches);
        AtomicLong enqueued = new AtomicLong();
        AtomicLong end = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        long start = System.nanoTime();
        for (int from = 0; from < jobs; from += FILL_BATCH) {
            List<NewJob> part = all.subList(from, Math.min(jobs, from + FILL_BATCH));
            slots.acquire();
            store.enqueue("default", part, 0).subscribe().with(createdAt -> {
                enqueued.addAndGet(part.size());
                end.accumulateAndGet(System.nanoTime(), Math::max);
                slots.release();
                answered.countDown();
            }, failure -> {
                firstError.compareAndSet(null, String.valueOf(failure.getMessage()));
                slots.release();
                answered.countDown();
            });
        }
        answered.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        return new Fill(start, Math.max(end.get(), start + 1), enqueued.get(), firstError.get());
    }

    private void onEvent(EventMessage event, long nanos) {
        Integer number = numbers.get(event.jobId());
        if (number == null) {
            return; // not one of ours (another client of the same Redis)
        }
        int n = number;
        switch (event.status()) {
            case ACTIVE -> {
                firstActive.accumulateAndGet(nanos, Math::min);
                if (activeNanos.compareAndSet(n, 0, nanos)) { // the first attempt's; a retry keeps it
                    pickupNanos.set(n, Math.max(0, event.startedAt() - event.createdAt()) * 1_000_000);
                }
            }
            case COMPLETED -> {
                if (completions.incrementAndGet(n) > 1) {
                    duplicated.incrementAndGet();
                    return;
                }
                if (EchoJobs.echoedNumber(event.eventJson()) != n) {
                    wrong.incrementAndGet();
                }
                long active = activeNanos.get(n);
                inWorkerNanos.set(n, active == 0 ? -1 : nanos - active);
                completed.incrementAndGet();
                ended(n, nanos);
            }
            case FAILED -> wrong.incrementAndGet();
            case DEAD -> {
                wrong.incrementAndGet();
                ended(n, nanos);
            }
            default -> {
            }
        }
    }

    private void ended(int n, long nanos) {
        if (ended.compareAndSet(n, 0, 1)) {
            finals.incrementAndGet();
            lastFinal.accumulateAndGet(nanos, Math::max);
        }
    }

    private long[] claimedPickups() {
        long[] pickups = new long[jobs];
        int k = 0;
        for (int i = 0; i < jobs; i++) {
            if (pickupNanos.get(i) >= 0) {
                pickups[k++] = pickupNanos.get(i);
            }
        }
        return Arrays.copyOf(pickups, k);
    }

    private String report(Fill fill, long doneDuringFill, String tapLost, long malformed) throws Exception {
        long ends = finals.get();
        double fillSeconds = (fill.endNanos() - fill.startNanos()) / 1e9;
        double withFillSeconds = ends == 0 ? 0 : Math.max(1, lastFinal.get() - firstActive.get()) / 1e9;
        double afterFillSeconds = (lastFinal.get() - fill.endNanos()) / 1e9;
        double afterFill = ends > doneDuringFill && afterFillSeconds > 0 ? (ends - doneDuringFill) / afterFillSeconds
                : 0;
        long[] inWorker = new long[(int) completed.get()];
        int k = 0;
        for (int i = 0; i < jobs && k < inWorker.length; i++) {
            if (completions.get(i) > 0 && inWorkerNanos.get(i) >= 0) {
                inWorker[k++] = inWorkerNanos.get(i);
            }
        }
        ModeReport report = new ModeReport(options.mode().wireName, options.describe())
                .number("jobsPerSecond", "lifecycle jobs/s (pre-filled queue)", afterFill, 0)
                .number("seconds", "end of the fill → last final, s", Math.max(0, afterFillSeconds), 3)
                .number("withFillJobsPerSecond", "counted from the first pickup, jobs/s",
                        ends == 0 ? 0 : ends / withFillSeconds, 0)
                .number("fillJobsPerSecond", "fill jobs/s", fill.enqueued() / fillSeconds, 0)
                .number("fillSeconds", "fill s", fillSeconds, 3)
                .count("endedDuringFill", "ended during the fill", doneDuringFill)
                .count("jobs", "jobs", jobs)
                .count("enqueued", "enqueued", fill.enqueued())
                .count("completed", "completed", completed.get())
                .count("lost", "lost", fill.enqueued() - ends)
                .count("duplicated", "duplicated", duplicated.get())
                .count("wrong", "wrong", wrong.get())
                .timing("pickup", "pickup: enqueued → claimed (Redis clock, whole ms), per job",
                        claimedPickups())
                .timing("inWorker", "in the consumer: `active` event → `completed` event, per job",
                        k == inWorker.length ? inWorker : Arrays.copyOf(inWorker, k))
                .note("Lifecycle jobs/s: jobs that ended (completed or dead) after the fill / time from the end of "
                        + "the fill to the last final event, as received by the bench's own subscription: the queue is "
                        + "pre-filled and only the consumers and Redis are at work. It covers claim, the echo handler, "
                        + "storing the result, publishing and acknowledging, and nothing of the producer or the "
                        + "gateway. The fill (enqueue.lua straight into Redis) overlaps the start of the drain and "
                        + "slows it, so the rate counted from the first `active` event, fill included, is lower. "
                        + "Lost: enqueued jobs with no final event before the time-out; wrong: `failed` or `dead` "
                        + "events, or a result that is not the job's own payload. In-the-consumer time includes "
                        + "waiting in Redis behind other scripts, so it grows with the number of workers. Pickup "
                        + "here is the time each job waited its turn in the pre-filled queue; the idle pickup latency "
                        + "is --mode pickup.");
        if (ends > 0 && doneDuringFill * 2 > ends) {
            report.note("Most jobs ended while the fill was still running: the queue was never really pre-filled, "
                    + "so run more jobs for a lifecycle figure.");
        }
        if (fill.firstError() != null) {
            report.note("Enqueue failed for " + (jobs - fill.enqueued()) + " jobs; first error: " + fill.firstError());
        }
        if (tapLost != null && !tapLost.equals("closed by the bench")) {
            report.note("The events subscription ended early (" + tapLost + "): later events were not seen.");
        }
        if (malformed > 0) {
            report.note(malformed + " malformed messages on the events channel were ignored.");
        }
        return report.write(options.out());
    }
}
