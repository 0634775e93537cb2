package io.livequeue.consumer.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.livequeue.consumer.worker.ConsumerConfig;
import jakarta.inject.Singleton;

/**
 * {@code sleep}: waits {@code {"ms": n}} milliseconds; a stand-in for slow work in demos and tests. It reports its
 * progress as it goes (percent of the time slept, and {@code {"slept": ms}}), the example of progress reports, and
 * stops when its job is cancelled (the interrupt ends its sleep).
 */
@Singleton
public class SleepHandler implements JobHandler {

    /** How often it reports progress; the consumer throttles reports to its own interval anyway. */
    private static final long STEP_MS = 100;

    private final long maxMillis;

    SleepHandler(ConsumerConfig config) {
        this.maxMillis = config.sleepMax().toMillis();
    }

    @Override
    public String type() {
        return "sleep";
    }

    @Override
    public JsonNode handle(JobContext job) throws InterruptedException {
        JsonNode ms = job.payload().path("ms");
        if (!ms.canConvertToLong() || !ms.isIntegralNumber() || ms.asLong() < 0 || ms.asLong() > maxMillis) {
            throw new PermanentJobFailure("sleep needs a payload {\"ms\": n} with 0 <= n <= " + maxMillis);
        }
        long total = ms.asLong();
        if (total <= STEP_MS) {
            Thread.sleep(total); // short sleeps (the benchmark's, the tests') report nothing: they would only cost
        } else {
            long start = System.nanoTime();
            long slept = 0;
            while (slept < total) {
                Thread.sleep(Math.min(STEP_MS, total - slept));
                slept = Math.min(total, (System.nanoTime() - start) / 1_000_000);
                job.progress((int) (slept * 100 / total), JsonNodeFactory.instance.objectNode().put("slept", slept));
            }
        }
        return JsonNodeFactory.instance.objectNode().put("slept", total);
    }
}
