package io.livequeue.consumer.handler;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Singleton;

/** {@code echo}: the result is the payload. The cheapest possible job, used by the benchmark. */
@Singleton
public class EchoHandler implements JobHandler {

    @Override
    public String type() {
        return "echo";
    }

    @Override
    public JsonNode handle(JobContext job) {
        return job.payload();
    }
}
