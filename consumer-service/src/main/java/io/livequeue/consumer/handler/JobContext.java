package io.livequeue.consumer.handler;

import com.fasterxml.jackson.databind.JsonNode;

/** What a handler knows of the job it runs; {@code payload} is a {@code NullNode} when the job has none. */
public record JobContext(String id, String type, int attempt, int maxAttempts, JsonNode payload) {
}
