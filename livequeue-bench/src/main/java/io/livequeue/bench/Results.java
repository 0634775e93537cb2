package io.livequeue.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What happened to every job: when its request was sent, when its {@code completed} event arrived (and how often),
 * whether its result was its own. Lock-free, indexed by job number, so recording costs no allocation.
 */
final class Results {

    private final int jobs;
    private final AtomicLongArray sentNanos;
    private final AtomicLongArray latencyNanos;
    private final AtomicIntegerArray completions;
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong completed = new AtomicLong();
    final AtomicLong duplicated = new AtomicLong();
    final AtomicLong wrong = new AtomicLong();
    final AtomicLong firstSent = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong lastCompleted = new AtomicLong();

    Results(int jobs) {
        this.jobs = jobs;
        this.sentNanos = new AtomicLongArray(jobs);
        this.latencyNanos = new AtomicLongArray(jobs);
        this.completions = new AtomicIntegerArray(jobs);
    }

    void sent(int job, long now) {
        sentNanos.set(job, now);
        firstSent.accumulateAndGet(now, Math::min);
    }

    void completed(int job, boolean resultIsItsOwn, long now) {
        if (job < 0 || job >= jobs) {
            wrong.incrementAndGet();
            return;
        }
        if (completions.incrementAndGet(job) > 1) {
            duplicated.incrementAndGet();
            return;
        }
        if (!resultIsItsOwn) {
            wrong.incrementAndGet();
        }
        latencyNanos.set(job, now - sentNanos.get(job));
        completed.incrementAndGet();
        lastCompleted.accumulateAndGet(now, Math::max);
    }

    String report(BenchOptions options, String markdownTitle, Path out) throws IOException {
        long[] latencies = new long[(int) completed.get()];
        int n = 0;
        for (int i = 0; i < jobs && n < latencies.length; i++) {
            if (completions.get(i) > 0) {
                latencies[n++] = latencyNanos.get(i);
            }
        }
        Arrays.sort(latencies);
        double seconds = Math.max(1, lastCompleted.get() - firstSent.get()) / 1e9;
        double throughput = completed.get() / seconds;
        long lost = accepted.get() - completed.get();
        String[] names = {"p50", "p90", "p99", "p99.9", "max"};
        double[] at = {0.50, 0.90, 0.99, 0.999, 1.0};
        StringBuilder json = new StringBuilder("{\"options\":\"" + options.describe() + "\",\"jobs\":" + options.jobs()
                + ",\"accepted\":" + accepted + ",\"rejected\":" + rejected + ",\"completed\":" + completed
                + ",\"lost\":" + lost + ",\"duplicated\":" + duplicated + ",\"wrong\":" + wrong
                + String.format(Locale.ROOT, ",\"seconds\":%.3f,\"jobsPerSecond\":%.1f,\"latencyMs\":{", seconds,
                        throughput));
        StringBuilder md = new StringBuilder("## " + markdownTitle + "\n\n" + options.describe() + "\n\n"
                + "| jobs/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | accepted | lost | duplicated | wrong |\n"
                + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
                + String.format(Locale.ROOT, "| %.0f |", throughput));
        for (int i = 0; i < names.length; i++) {
            double ms = latencies.length == 0 ? 0
                    : latencies[Math.min(latencies.length - 1, (int) Math.ceil(at[i] * latencies.length) - 1)] / 1e6;
            json.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "\"%s\":%.2f", names[i], ms));
            md.append(String.format(Locale.ROOT, " %.2f |", ms));
        }
        json.append("}}\n");
        md.append(" ").append(accepted).append(" | ").append(lost).append(" | ").append(duplicated).append(" | ")
                .append(wrong).append(" |\n");
        Files.createDirectories(out);
        Files.writeString(out.resolve("bench.json"), json);
        Files.writeString(out.resolve("bench.md"), md);
        return md.toString();
    }
}
