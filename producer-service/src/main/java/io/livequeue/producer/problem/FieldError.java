package io.livequeue.producer.problem;

/** One broken field of a request: {@code field} is a path like {@code jobs[3].type}, empty for the whole body. */
public record FieldError(String field, String message) {
}
