package io.livequeue.consumer.worker;

import io.livequeue.core.JobStatus;
import io.livequeue.core.Priority;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The workers' meters, created once per type/priority/outcome and cached, so a finished job costs two map look-ups:
 * <ul>
 * <li>{@code livequeue_jobs_processed_total{type, priority, outcome}}: attempts whose outcome was recorded;
 * {@code outcome} is {@code completed}, {@code failed} (to be retried) or {@code dead}.</li>
 * <li>{@code livequeue_job_run_seconds{type}}: how long handlers ran (a timer: count, sum, max).</li>
 * </ul>
 * Job types are bounded by the producer's {@code livequeue.producer.job-types}, so the tags' cardinality is too.
 */
@Singleton
class WorkerMetrics {

    private record Key(String type, Priority priority, JobStatus outcome) {
    }

    private final MeterRegistry registry;
    private final Map<Key, Counter> processed = new ConcurrentHashMap<>();
    private final Map<String, Timer> runTimes = new ConcurrentHashMap<>();

    WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void processed(String type, Priority priority, JobStatus outcome) {
        Key key = new Key(type, priority, outcome);
        Counter counter = processed.get(key);
        if (counter == null) {
            counter = processed.computeIfAbsent(key, k -> Counter.builder("livequeue.jobs.processed")
                    .description("Job attempts whose outcome was recorded, by outcome")
                    .tag("type", k.type()).tag("priority", k.priority().wireName())
                    .tag("outcome", k.outcome().wireName()).register(registry));
        }
        counter.increment();
    }

    void ran(String type, long nanos) {
        Timer timer = runTimes.get(type);
        if (timer == null) {
            timer = runTimes.computeIfAbsent(type, t -> Timer.builder("livequeue.job.run")
                    .description("How long job handlers ran").tag("type", t).register(registry));
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }
}
