package io.livequeue.consumer.worker;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.livequeue.consumer.handler.HandlerRegistry;
import io.livequeue.consumer.handler.JobContext;
import io.livequeue.consumer.handler.JobHandler;
import io.livequeue.consumer.handler.PermanentJobFailure;
import io.livequeue.consumer.handler.Redact;
import io.livequeue.consumer.worker.RunningJobs.Attempt;
import io.livequeue.consumer.worker.RunningJobs.StopReason;
import io.livequeue.core.JobEvent;
import io.livequeue.core.JobStatus;
import io.livequeue.core.rdb.ClaimedJob;
import io.livequeue.core.rdb.StorageUnavailableException;
import io.livequeue.core.rdb.Finished;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Runs one claimed job through its handler and records the outcome: {@code completed} with the result; on an
 * exception or a time-out {@code failed} (retried after an exponential, jittered delay) while attempts remain, else
 * {@code dead}; {@code dead} at once for a permanent failure. A type this consumer has no handler for is retried
 * too (another consumer of the queue may have it), and dies after its attempts. An attempt cut short by
 * shutdown is handed back to the queue uncounted; one whose cancellation was asked for ends {@code cancelled} when its
 * handler throws (an interrupted {@code sleep}, say), {@code completed} when it returns all the same. The outcome is stored even if Redis is briefly away, in the same
 * call that claims the worker's next job. Log lines written while a job runs carry its id (MDC {@code jobId}); no
 * payload is logged, and an error is stored (and logged) without the payload's strings and numbers it quotes.
 */
@Singleton
public class JobProcessor {

    private static final Logger LOG = Logger.getLogger(JobProcessor.class);
    private static final int MAX_ERROR_LENGTH = 2000;

    private final HandlerRegistry handlers;
    private final ObjectMapper mapper;
    private final ConsumerConfig config;
    private final WorkerMetrics metrics;

    JobProcessor(HandlerRegistry handlers, ObjectMapper mapper, ConsumerConfig config, WorkerMetrics metrics) {
        this.handlers = handlers;
        this.mapper = mapper;
        this.config = config;
        this.metrics = metrics;
    }

    Duration timeoutOf(String type) {
        return config.handlerTimeouts().getOrDefault(type, config.handlerTimeout());
    }

    /** Runs the attempt's handler; the outcome still has to be {@link #record}ed. */
    Outcome process(Attempt attempt) {
        ClaimedJob job = attempt.job();
        if (job.attempts() == 1) {
            metrics.pickedUp(job.queue(), job.type(), job.startedAt() - job.createdAt());
        }
        MDC.put("jobId", job.id());
        try {
            return run(attempt);
        } finally {
            MDC.remove("jobId");
            Thread.interrupted(); // an interrupt that arrived after the handler returned must not abort the write
        }
    }

    /**
     * Stores the outcome and publishes its event; if {@code wantsNext}, claims the worker's next job in the same
     * round trip (shared with other workers by the {@link ClaimBatcher}).
     *
     * @return the next job, or null
     */
    ClaimedJob record(ClaimBatcher batcher, ClaimedJob job, Outcome outcome, boolean wantsNext) {
        int attempts = outcome.status == JobStatus.QUEUED ? job.attempts() - 1 : job.attempts();
        String event = JobEvent.json(job.id(), job.type(), outcome.status, attempts, outcome.result, outcome.error);
        Duration retryDelay = outcome.status == JobStatus.FAILED ? retryDelay(job.attempts()) : Duration.ZERO;
        Finished finished = new Finished(job, outcome.status, outcome.result, outcome.error, event, retryDelay);
        ClaimBatcher.Reply reply = send(batcher, finished, wantsNext);
        ClaimedJob next = reply.next();
        if (reply.outcomeFailure() != null) { // a next job came, but the outcome's own call failed: send it again
            reply = send(batcher, finished, false);
        }
        if (reply.recorded() && outcome.status != JobStatus.QUEUED) {
            metrics.processed(job.queue(), job.type(), job.priority(), outcome.status);
            if (outcome.status.isFinal()) {
                metrics.finished(job.queue(), job.type(), reply.now() - job.createdAt());
            }
        }
        if (!reply.recorded()) {
            LOG.warnf("job %s: its lease ran out before the outcome (%s) was recorded; it was taken back for "
                    + "another attempt", job.id(), outcome.status.wireName());
        }
        return next;
    }

    private ClaimBatcher.Reply send(ClaimBatcher batcher, Finished finished, boolean wantsNext) {
        return batcher.submit(finished, wantsNext)
                .onFailure(StorageUnavailableException.class).retry()
                .withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2)).expireIn(config.lease().toMillis())
                .await().indefinitely();
    }

    private Outcome run(Attempt attempt) {
        ClaimedJob job = attempt.job();
        Optional<JobHandler> handler = handlers.find(job.type());
        if (handler.isEmpty()) {
            // a routing error of the sender (an unrouted type sent to a queue): another consumer of the queue may
            // have the handler, so the job is retried like any failure, and dies only when every attempt missed
            return job.hasAttemptsLeft()
                    ? Outcome.failed(JobStatus.FAILED, "no handler for job type '" + job.type() + "' on this consumer "
                            + "(it runs: " + String.join(", ", handlers.types()) + ")")
                    : Outcome.failed(JobStatus.DEAD, "no consumer of queue " + job.queue() + " handled type '"
                            + job.type() + "'");
        }
        JsonNode payload;
        try {
            payload = job.payload() == null ? NullNode.instance : mapper.readTree(job.payload());
        } catch (JsonProcessingException e) { // not its message: it quotes the payload
            JsonLocation at = e.getLocation();
            return Outcome.failed(JobStatus.DEAD, "payload is not JSON" + (at == null ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        long started = System.nanoTime();
        try {
            JsonNode result;
            try {
                result = handler.get().handle(new JobContext(job.id(), job.type(), job.attempts(), job.maxAttempts(),
                        payload, attempt.control()));
            } finally {
                metrics.ran(job.queue(), job.type(), System.nanoTime() - started);
            }
            // a handler that returns has finished its work, also after a cancel it was told of: completed
            if (attempt.stopReason() == StopReason.NONE || attempt.stopReason() == StopReason.CANCELLED) {
                return new Outcome(JobStatus.COMPLETED, result == null || result.isNull() ? null
                        : mapper.writeValueAsString(result), null);
            }
            return stopped(attempt);
        } catch (PermanentJobFailure e) {
            return Outcome.failed(JobStatus.DEAD, Redact.payloadFrom(e.getMessage(), payload));
        } catch (Exception e) {
            if (attempt.stopReason() != StopReason.NONE) {
                return stopped(attempt);
            }
            String error = describe(e, payload);
            if (LOG.isDebugEnabled()) { // the stack trace, under the redacted message (and without causes: theirs too)
                Throwable logged = new Throwable(error);
                logged.setStackTrace(e.getStackTrace());
                LOG.debugf(logged, "job %s attempt %d failed", job.id(), job.attempts());
            }
            return Outcome.failed(retryOrDead(job), error);
        }
    }

    private Outcome stopped(Attempt attempt) {
        if (attempt.stopReason() == StopReason.SHUTDOWN) {
            return Outcome.failed(JobStatus.QUEUED, null);
        }
        if (attempt.stopReason() == StopReason.CANCELLED) {
            return Outcome.failed(JobStatus.CANCELLED, null);
        }
        return Outcome.failed(retryOrDead(attempt.job()), "timed out after "
                + timeoutOf(attempt.job().type()).toMillis() + " ms");
    }

    /** Exponential back-off with jitter: base·2^(n-1), capped, then a random point in its upper half. */
    private Duration retryDelay(int attempts) {
        long base = config.retryBaseDelay().toMillis();
        long exponential = base << Math.min(30, Math.max(0, attempts - 1));
        long capped = Math.min(config.retryMaxDelay().toMillis(), exponential < 0 ? Long.MAX_VALUE : exponential);
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    private static JobStatus retryOrDead(ClaimedJob job) {
        return job.hasAttemptsLeft() ? JobStatus.FAILED : JobStatus.DEAD;
    }

    /** The error stored with the job (and sent with its events): the exception, its message cleared of the payload. */
    private static String describe(Exception e, JsonNode payload) {
        String text = e.getClass().getSimpleName() + (e.getMessage() == null ? ""
                : ": " + Redact.payloadFrom(e.getMessage(), payload));
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
    }

    /** What an attempt came to: the status to record, the handler's result (raw JSON) or the error. */
    record Outcome(JobStatus status, String result, String error) {
        static Outcome failed(JobStatus status, String error) {
            return new Outcome(status, null, error);
        }
    }
}
