package io.livequeue.bench;

import io.livequeue.core.EventMessage;
import io.livequeue.core.JobStatus;
import io.livequeue.core.rdb.NewJob;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes sure a consumer is working on the queue before a direct run writes its jobs: one echo job (not counted)
 * must become {@code active} and then {@code completed} within a few seconds. Without a consumer the bench would
 * otherwise wait out its whole time-out and leave thousands of jobs behind; this way it leaves one and says why.
 */
final class ConsumerProbe {

    private ConsumerProbe() {
    }

    static void check(DirectRedis redis, EventTap tap, Duration within) throws StackNotReady, InterruptedException {
        NewJob job = EchoJobs.make(1, 20).get(0);
        CompletableFuture<Void> active = new CompletableFuture<>();
        CompletableFuture<EventMessage> ended = new CompletableFuture<>();
        tap.listen((event, nanos) -> {
            if (job.id().equals(event.jobId())) {
                if (event.status() == JobStatus.ACTIVE) {
                    active.complete(null);
                } else if (event.status() != JobStatus.QUEUED) {
                    ended.complete(event); // completed, or the failure that says why not
                }
            }
        });
        try {
            redis.store().enqueue("default", List.of(job), 0).await().atMost(within);
        } catch (RuntimeException e) {
            throw new StackNotReady("cannot enqueue at " + redis.where() + ": " + e.getMessage());
        }
        try {
            active.get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new StackNotReady("no consumer took a job within " + within.toSeconds() + " s at " + redis.where()
                    + " (events on " + redis.keys().events() + "): start consumer-service against this Redis and "
                    + "prefix. The probe job " + job.id() + " stays queued; a consumer will run it when it starts.");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
        try {
            EventMessage end = ended.get(within.toMillis(), TimeUnit.MILLISECONDS);
            if (end.status() != JobStatus.COMPLETED) {
                throw new StackNotReady("the probe echo job ended " + end.status().wireName() + ": " + end.eventJson());
            }
        } catch (TimeoutException e) {
            throw new StackNotReady("a consumer took the probe echo job but did not finish it within "
                    + within.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }
}
