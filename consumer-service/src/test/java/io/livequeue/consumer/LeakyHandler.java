package io.livequeue.consumer;

import com.fasterxml.jackson.databind.JsonNode;
import io.livequeue.consumer.handler.JobContext;
import io.livequeue.consumer.handler.JobHandler;
import jakarta.inject.Singleton;

/**
 * {@code leaky}, a handler of the tests only: it fails the way careless code does, with an exception whose message
 * quotes the payload ({@code {"to", "message"}}), so that tests can see what of it reaches the job's error and the log.
 */
@Singleton
public class LeakyHandler implements JobHandler {

    @Override
    public String type() {
        return "leaky";
    }

    @Override
    public JsonNode handle(JobContext job) {
        throw new IllegalStateException("no route to " + job.payload().path("to").asText() + " for \""
                + job.payload().path("message").asText() + "\" (" + job.payload() + ")");
    }
}
