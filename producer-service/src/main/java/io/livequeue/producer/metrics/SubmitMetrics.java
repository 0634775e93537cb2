package io.livequeue.producer.metrics;

import io.livequeue.core.Priority;
import io.livequeue.core.rdb.NewJob;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code livequeue_jobs_submitted_total{queue, type, priority}}: jobs newly queued; replayed idempotent requests are
 * not. Queues are bounded by {@code livequeue.queues.max}, types by {@code livequeue.producer.job-types}.
 */
@Singleton
public class SubmitMetrics {

    private record Key(String queue, String type, Priority priority) {
    }

    private final MeterRegistry registry;
    private final Map<Key, Counter> counters = new ConcurrentHashMap<>();

    SubmitMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void submitted(String queue, List<NewJob> jobs) {
        for (NewJob job : jobs) {
            counters.computeIfAbsent(new Key(queue, job.type(), job.priority()), k -> Counter
                    .builder("livequeue.jobs.submitted").description("Jobs queued by the producer")
                    .tag("queue", k.queue()).tag("type", k.type()).tag("priority", k.priority().wireName())
                    .register(registry)).increment();
        }
    }
}
