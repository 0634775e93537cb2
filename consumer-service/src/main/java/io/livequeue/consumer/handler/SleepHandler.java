package io.livequeue.consumer.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.livequeue.consumer.worker.ConsumerConfig;
import jakarta.inject.Singleton;

/** {@code sleep}: waits {@code {"ms": n}} milliseconds; a stand-in for slow work in demos and tests. */
@Singleton
public class SleepHandler implements JobHandler {

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
        Thread.sleep(ms.asLong());
        return JsonNodeFactory.instance.objectNode().put("slept", ms.asLong());
    }
}
