package io.livequeue.consumer.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.livequeue.consumer.handler.HandlerRegistry;
import io.livequeue.consumer.handler.JobContext;
import io.livequeue.consumer.handler.JobHandler;
import io.livequeue.consumer.handler.PermanentJobFailure;
import io.livequeue.core.JobEvent;
import io.livequeue.core.JobStatus;
import io.livequeue.core.rdb.ClaimedJob;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.StorageUnavailableException;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Runs one claimed job through its handler and records the outcome: {@code completed} with the result; on an
 * exception {@code failed} (queued again) while attempts remain, else {@code dead}; {@code dead} at once for a
 * permanent failure or a type no handler knows. The outcome is stored even if Redis is briefly away.
 */
@Singleton
public class JobProcessor {

    private static final Logger LOG = Logger.getLogger(JobProcessor.class);
    private static final int MAX_ERROR_LENGTH = 2000;

    private final HandlerRegistry handlers;
    private final JobStore store;
    private final ObjectMapper mapper;
    private final ConsumerConfig config;

    JobProcessor(HandlerRegistry handlers, JobStore store, ObjectMapper mapper, ConsumerConfig config) {
        this.handlers = handlers;
        this.store = store;
        this.mapper = mapper;
        this.config = config;
    }

    void process(ClaimedJob job) {
        Outcome outcome = run(job);
        String event = JobEvent.json(job.id(), job.type(), outcome.status, job.attempts(), outcome.result, outcome.error);
        boolean recorded = store.finish(job, outcome.status, outcome.result, outcome.error, event, config.retention())
                .onFailure(StorageUnavailableException.class).retry()
                .withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2)).expireIn(config.lease().toMillis())
                .await().indefinitely();
        if (!recorded) {
            LOG.warnf("job %s: claim lost before its outcome (%s) was recorded; another worker owns it now",
                    job.id(), outcome.status.wireName());
        }
    }

    private Outcome run(ClaimedJob job) {
        Optional<JobHandler> handler = handlers.find(job.type());
        if (handler.isEmpty()) {
            return Outcome.failed(JobStatus.DEAD, "no handler for job type '" + job.type() + "' (known: "
                    + String.join(", ", handlers.types()) + ")");
        }
        try {
            JsonNode payload = job.payload() == null ? NullNode.instance : mapper.readTree(job.payload());
            JsonNode result = handler.get().handle(new JobContext(job.id(), job.type(), job.attempts(),
                    job.maxAttempts(), payload));
            return new Outcome(JobStatus.COMPLETED, result == null || result.isNull() ? null
                    : mapper.writeValueAsString(result), null);
        } catch (PermanentJobFailure e) {
            return Outcome.failed(JobStatus.DEAD, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.failed(retryOrDead(job), "interrupted: the consumer is stopping");
        } catch (Exception e) {
            LOG.debugf(e, "job %s attempt %d failed", job.id(), job.attempts());
            return Outcome.failed(retryOrDead(job), describe(e));
        }
    }

    private static JobStatus retryOrDead(ClaimedJob job) {
        return job.hasAttemptsLeft() ? JobStatus.FAILED : JobStatus.DEAD;
    }

    private static String describe(Exception e) {
        String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
    }

    private record Outcome(JobStatus status, String result, String error) {
        static Outcome failed(JobStatus status, String error) {
            return new Outcome(status, null, error);
        }
    }
}
