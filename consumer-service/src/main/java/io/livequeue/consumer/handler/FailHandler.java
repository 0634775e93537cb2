package io.livequeue.consumer.handler;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Singleton;

/** {@code fail}: always fails, transiently, so it is retried until its attempts are used up and it is dead. */
@Singleton
public class FailHandler implements JobHandler {

    @Override
    public String type() {
        return "fail";
    }

    @Override
    public JsonNode handle(JobContext job) {
        throw new IllegalStateException("fail jobs always fail (attempt " + job.attempt() + " of " + job.maxAttempts() + ")");
    }
}
