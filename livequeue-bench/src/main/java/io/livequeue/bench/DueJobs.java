package io.livequeue.bench;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the scheduled mode learns of each job, from two threads that race: the producer's 202 (the job is one of the
 * run's, and its due time {@code runAt}), the events channel's {@code scheduled} event (the same due time; published
 * only for jobs with a {@code replyTo}), its first {@code active} event (the envelope's {@code createdAt} and
 * {@code startedAt}) and its {@code completed} one; and the lateness that follows: {@code startedAt − runAt}, epoch ms
 * on the Redis clock, so no clock of the bench's enters the figure. When no due time was given, it is
 * {@code createdAt + lead}: the producer hands a {@code delay} to Redis as such, and enqueue.lua adds it to the
 * {@code createdAt} it stamps. It exists so that the pairing (events may come before the 202 that names their job, a
 * later {@code active} of a retry or a progress report is not the start) and the arithmetic are one small thing to
 * test without a stack.
 */
final class DueJobs {

    static final long UNSET = Long.MIN_VALUE;
    private static final String RUN_AT = "\"runAt\":";
    private static final int ACCEPTED = 1, ENDED = 2;

    /** The figures of a run: lateness in ms of every accepted job that started and whose due time is known. */
    record Lateness(long[] millis, long accepted, long started, long completed, long early, long dueFromLead,
            long duplicated, long failed) {
    }

    private static final class Job {
        final AtomicLong runAt = new AtomicLong(UNSET);
        final AtomicLong startedAt = new AtomicLong(UNSET);
        volatile long createdAt = UNSET;
        final AtomicInteger marks = new AtomicInteger();
        final AtomicInteger completions = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
    }

    private final ConcurrentHashMap<String, Job> jobs;
    private final AtomicInteger endedAccepted = new AtomicInteger();
    private final long leadMs;

    DueJobs(int expected, long leadMs) {
        this.leadMs = leadMs;
        // sized up front: growing a map mid-run is work the generator would do on the cores it measures
        this.jobs = new ConcurrentHashMap<>(expected * 2);
    }

    /** The producer accepted the job: it is one of the run's. */
    void accepted(String id) {
        mark(job(id), ACCEPTED);
    }

    /** The job's due time; the first one known stays (the event's and the 202's are the same instant). */
    void due(String id, long runAtMs) {
        job(id).runAt.compareAndSet(UNSET, runAtMs);
    }

    /**
     * An {@code active} envelope's {@code createdAt} and {@code startedAt}; only the first counts (a retry or a progress
     * report comes later).
     */
    void started(String id, long createdAtMs, long startedAtMs) {
        if (startedAtMs > 0) {
            Job job = job(id);
            if (job.startedAt.compareAndSet(UNSET, startedAtMs) && createdAtMs > 0) {
                job.createdAt = createdAtMs;
            }
        }
    }

    /** A final event: {@code completed}, or one that {@link #failed} counts as wrong too. */
    void ended(String id) {
        Job job = job(id);
        if (job.completions.incrementAndGet() == 1) {
            mark(job, ENDED);
        }
    }

    /** A {@code failed}, {@code dead} or {@code cancelled} event: an echo job never has one. */
    void failed(String id) {
        job(id).failures.incrementAndGet();
    }

    /** How many of the accepted jobs ended; cheap, for the loop that waits for the run's end. */
    int endedAccepted() {
        return endedAccepted.get();
    }

    Lateness lateness() {
        long[] millis = new long[jobs.size()];
        int n = 0;
        long accepted = 0, started = 0, completed = 0, early = 0, dueFromLead = 0, duplicated = 0, failed = 0;
        for (Job job : jobs.values()) {
            if ((job.marks.get() & ACCEPTED) == 0) {
                continue; // a job of someone else's, or the consumer probe
            }
            accepted++;
            failed += job.failures.get() > 0 ? 1 : 0;
            int completions = job.completions.get();
            completed += completions > 0 ? 1 : 0;
            duplicated += Math.max(0, completions - 1);
            long startedAt = job.startedAt.get();
            long runAt = job.runAt.get();
            if (startedAt == UNSET) {
                continue;
            }
            if (runAt == UNSET) {
                if (job.createdAt == UNSET) {
                    continue; // no way to tell when it was due
                }
                runAt = job.createdAt + leadMs;
                dueFromLead++;
            }
            started++;
            long late = startedAt - runAt;
            early += late < 0 ? 1 : 0;
            millis[n++] = late;
        }
        return new Lateness(Arrays.copyOf(millis, n), accepted, started, completed, early, dueFromLead,
                duplicated, failed);
    }

    /** The {@code runAt} (epoch ms) of a {@code scheduled} client event, or {@link #UNSET}: a scan, not a parse. */
    static long runAtOf(String eventJson) {
        int at = eventJson.indexOf(RUN_AT);
        if (at < 0) {
            return UNSET;
        }
        long value = 0;
        int i = at + RUN_AT.length();
        int start = i;
        for (; i < eventJson.length() && Character.isDigit(eventJson.charAt(i)); i++) {
            value = value * 10 + (eventJson.charAt(i) - '0');
        }
        return i == start ? UNSET : value;
    }

    private Job job(String id) {
        return jobs.computeIfAbsent(id, key -> new Job());
    }

    private void mark(Job job, int mark) {
        int before = job.marks.getAndUpdate(marks -> marks | mark);
        if ((before & mark) == 0 && (before | mark) == (ACCEPTED | ENDED)) {
            endedAccepted.incrementAndGet();
        }
    }
}
