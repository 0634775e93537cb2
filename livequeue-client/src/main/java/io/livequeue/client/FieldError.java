package io.livequeue.client;

/**
 * One invalid field of a rejected request, as the problem document lists it ({@code field} is a path such as
 * {@code jobs[3].type}, empty for the whole body). It exists so that a caller can show or fix each field.
 */
public record FieldError(String field, String message) {
}
