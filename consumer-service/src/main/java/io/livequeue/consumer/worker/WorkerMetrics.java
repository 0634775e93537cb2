package io.livequeue.consumer.worker;

import io.livequeue.core.JobStatus;
import io.livequeue.core.Priority;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The workers' meters, created once per queue/type/priority/outcome and cached, so a finished job costs two map
 * look-ups. Every meter also carries the job's {@code queue} tag:
 * <ul>
 * <li>{@code livequeue_jobs_processed_total{type, priority, outcome}}: attempts whose outcome was recorded;
 * {@code outcome} is {@code completed}, {@code failed} (to be retried) or {@code dead}.</li>
 * <li>{@code livequeue_job_run_seconds{type}}: how long handlers ran (a histogram).</li>
 * <li>{@code livequeue_job_pickup_seconds{type}}: from enqueue to a worker taking the job, first attempts only.</li>
 * <li>{@code livequeue_job_end_to_end_seconds{type}}: from enqueue to the final outcome (completed or dead).</li>
 * <li>{@code livequeue_jobs_reclaimed_total{type, priority}}: jobs taken back by this consumer's heartbeat because
 * their lease ran out (their consumer died or stalled).</li>
 * </ul>
 * The latencies come from the Redis clock, so they agree across consumers; they have millisecond resolution.
 * Job types are bounded by the producer's {@code livequeue.producer.job-types}, so the tags' cardinality is too.
 */
@Singleton
class WorkerMetrics {

    private record Key(String queue, String type, Priority priority, JobStatus outcome) {
    }

    private record TypeKey(String queue, String type) {
    }

    private final MeterRegistry registry;
    private final Map<Key, Counter> processed = new ConcurrentHashMap<>();
    private final Map<TypeKey, Timer> runTimes = new ConcurrentHashMap<>();
    private final Map<TypeKey, Timer> pickups = new ConcurrentHashMap<>();
    private final Map<TypeKey, Timer> endToEnd = new ConcurrentHashMap<>();
    private final Map<Key, Counter> reclaimed = new ConcurrentHashMap<>();

    WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void pickedUp(String queue, String type, long millis) {
        histogram(pickups, "livequeue.job.pickup", "From enqueue to a worker taking the job (first attempts)", queue,
                type).record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    void finished(String queue, String type, long millis) {
        histogram(endToEnd, "livequeue.job.end.to.end", "From enqueue to the final outcome", queue, type)
                .record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    void reclaimed(String queue, String type, Priority priority) {
        reclaimed.computeIfAbsent(new Key(queue, type, priority, JobStatus.FAILED), k -> Counter
                .builder("livequeue.jobs.reclaimed").description("Jobs taken back because their lease ran out")
                .tag("queue", k.queue()).tag("type", k.type()).tag("priority", k.priority().wireName())
                .register(registry)).increment();
    }

    void processed(String queue, String type, Priority priority, JobStatus outcome) {
        Key key = new Key(queue, type, priority, outcome);
        Counter counter = processed.get(key);
        if (counter == null) {
            counter = processed.computeIfAbsent(key, k -> Counter.builder("livequeue.jobs.processed")
                    .description("Job attempts whose outcome was recorded, by outcome")
                    .tag("queue", k.queue()).tag("type", k.type()).tag("priority", k.priority().wireName())
                    .tag("outcome", k.outcome().wireName()).register(registry));
        }
        counter.increment();
    }

    void ran(String queue, String type, long nanos) {
        histogram(runTimes, "livequeue.job.run", "How long job handlers ran", queue, type)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer histogram(Map<TypeKey, Timer> timers, String name, String description, String queue, String type) {
        TypeKey key = new TypeKey(queue, type);
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = timers.computeIfAbsent(key, k -> Timer.builder(name).description(description)
                    .tag("queue", k.queue()).tag("type", k.type())
                    .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofMinutes(10)).register(registry));
        }
        return timer;
    }
}
