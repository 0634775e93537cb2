package io.livequeue.consumer;

import com.fasterxml.jackson.databind.JsonNode;
import io.livequeue.consumer.handler.JobContext;
import io.livequeue.consumer.handler.JobHandler;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code spin}, a handler of the tests only: it runs until its job is cancelled (at most 30 s), and records when it was
 * told, by its callback and by its flag, so that tests can measure how fast a cancellation reaches a running handler.
 */
@Singleton
public class SpinHandler implements JobHandler {

    /** Job id → System.nanoTime() when its handler started, and when its cancel callback ran. */
    public final Map<String, Long> started = new ConcurrentHashMap<>();
    public final Map<String, Long> told = new ConcurrentHashMap<>();

    @Override
    public String type() {
        return "spin";
    }

    @Override
    public JsonNode handle(JobContext job) throws InterruptedException {
        CountDownLatch cancelled = new CountDownLatch(1);
        job.onCancel(() -> {
            told.putIfAbsent(job.id(), System.nanoTime());
            cancelled.countDown();
        });
        started.put(job.id(), System.nanoTime());
        if (!cancelled.await(30, TimeUnit.SECONDS) || !job.isCancelled()) {
            throw new IllegalStateException("not cancelled");
        }
        throw new InterruptedException("cancelled");
    }
}
