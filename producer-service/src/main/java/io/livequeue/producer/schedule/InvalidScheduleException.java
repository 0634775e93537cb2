package io.livequeue.producer.schedule;

import io.livequeue.producer.problem.FieldError;
import java.util.List;

/**
 * A schedule request that breaks the contract, with every broken field (those of its job template prefixed
 * {@code job.}); {@code tooLarge} when the only trouble is the template's payload size (answered 413).
 */
public class InvalidScheduleException extends RuntimeException {

    private final List<FieldError> errors;
    private final boolean tooLarge;

    public InvalidScheduleException(List<FieldError> errors, boolean tooLarge) {
        super(errors.isEmpty() ? "invalid schedule" : errors.get(0).field().isEmpty() ? errors.get(0).message()
                : errors.get(0).field() + ": " + errors.get(0).message());
        this.errors = List.copyOf(errors);
        this.tooLarge = tooLarge;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public boolean tooLarge() {
        return tooLarge;
    }
}
