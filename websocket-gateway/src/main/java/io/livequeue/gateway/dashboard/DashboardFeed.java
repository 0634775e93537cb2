package io.livequeue.gateway.dashboard;

import io.livequeue.core.EventMessage;
import io.livequeue.gateway.events.JobEventListener;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * Throughput and latency of the whole pipeline, from the job events this gateway already receives: every gateway
 * gets every event, so no extra Redis traffic is needed. Each event costs one short lock and a few additions into a
 * per-second bucket; the last {@link #SECONDS} seconds are kept, so an operator who connects sees recent history at
 * once. Pickup latency (submit to start of an attempt) comes from {@code active} events that start an attempt (not
 * from progress reports, see {@link ProgressReports}), run time (start to end of an attempt) from {@code completed},
 * {@code failed} and {@code dead} ones; both on the Redis clock. {@code cancelled} jobs are counted apart and give no
 * run time: an attempt cut short says nothing of how long jobs take, and a job cancelled while it waited (queued,
 * scheduled, or for a retry) had no attempt to measure; its envelope cannot tell the two apart. Events the gateway
 * rebuilds from stored jobs after re-subscribing never reach it (they are routed to clients only): they are not news.
 */
@Singleton
public class DashboardFeed implements JobEventListener {

    /** Five minutes of one-second buckets. */
    static final int SECONDS = 300;

    private final Bucket[] buckets = new Bucket[SECONDS];

    public DashboardFeed() {
        for (int i = 0; i < SECONDS; i++) {
            buckets[i] = new Bucket();
        }
    }

    /** Called once for every event from the Redis subscription. */
    @Override
    public void onEvent(EventMessage message) {
        record(message, System.currentTimeMillis() / 1000);
    }

    synchronized void record(EventMessage message, long second) {
        if (message.startedAt() == 0 && message.finishedAt() == 0) {
            return; // queued, or without times: nothing to measure
        }
        Bucket bucket = bucket(second);
        switch (message.status()) {
            case ACTIVE -> {
                if (!ProgressReports.isProgress(message)) {
                    bucket.pickup.add(message.startedAt(), message.createdAt());
                }
            }
            case COMPLETED -> {
                bucket.completed++;
                bucket.run.add(message.finishedAt(), message.startedAt());
            }
            case FAILED, DEAD -> {
                bucket.failed++;
                bucket.run.add(message.finishedAt(), message.startedAt());
            }
            case CANCELLED -> bucket.cancelled++;
            default -> {
                // queued or scheduled: a submit, a retry, a hand-back or a due job; or a newer release's status
                // (UNKNOWN): nothing to measure
            }
        }
    }

    /** One point per second from {@code fromSecond} up to (not including) {@code toSecond}, zeros where quiet. */
    synchronized List<SeriesPoint> series(long fromSecond, long toSecond) {
        List<SeriesPoint> points = new ArrayList<>((int) Math.max(0, toSecond - fromSecond));
        for (long s = Math.max(fromSecond, toSecond - SECONDS); s < toSecond; s++) {
            Bucket b = buckets[(int) Math.floorMod(s, (long) SECONDS)];
            points.add(b.second == s ? b.point() : SeriesPoint.quiet(s));
        }
        return points;
    }

    private Bucket bucket(long second) {
        Bucket bucket = buckets[(int) Math.floorMod(second, (long) SECONDS)];
        if (bucket.second != second) {
            bucket.reset(second);
        }
        return bucket;
    }

    /** Counts and latency sums of one second. */
    private static final class Bucket {
        long second = -1;
        long completed;
        long failed;
        long cancelled;
        final Latency pickup = new Latency();
        final Latency run = new Latency();

        void reset(long newSecond) {
            second = newSecond;
            completed = 0;
            failed = 0;
            cancelled = 0;
            pickup.reset();
            run.reset();
        }

        SeriesPoint point() {
            return new SeriesPoint(second * 1000, completed, failed, cancelled, pickup.average(), pickup.max, run.average(),
                    run.max);
        }
    }

    /** Sum, count and maximum of the durations seen in one second; times of 0 mean "not known" and are skipped. */
    private static final class Latency {
        long sum;
        long count;
        Long max;

        void add(long end, long start) {
            if (end <= 0 || start <= 0 || end < start) {
                return;
            }
            long ms = end - start;
            sum += ms;
            count++;
            max = max == null ? ms : Math.max(max, ms);
        }

        Long average() {
            return count == 0 ? null : Math.round((double) sum / count);
        }

        void reset() {
            sum = 0;
            count = 0;
            max = null;
        }
    }
}
