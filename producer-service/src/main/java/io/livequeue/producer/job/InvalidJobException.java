package io.livequeue.producer.job;

import io.livequeue.producer.problem.FieldError;
import java.util.List;

/** A job request that breaks the contract; every broken field is listed, so one answer tells the client all. */
public class InvalidJobException extends RuntimeException {

    private final List<FieldError> errors;
    private final boolean tooLarge;

    public InvalidJobException(List<FieldError> errors, boolean tooLarge) {
        super(errors.isEmpty() ? "invalid job" : describe(errors.get(0)));
        this.errors = List.copyOf(errors);
        this.tooLarge = tooLarge;
    }

    private static String describe(FieldError error) {
        return error.field().isEmpty() ? error.message() : error.field() + ": " + error.message();
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** True when the only trouble is size: answered with 413 instead of 400. */
    public boolean tooLarge() {
        return tooLarge;
    }
}
