package io.livequeue.producer.job;

import io.livequeue.producer.problem.FieldError;
import java.util.List;

/**
 * A job request that breaks the contract; every broken field is listed (up to a hundred: a body can hold many more,
 * which are only counted), so one answer tells the client all.
 */
public class InvalidJobException extends RuntimeException {

    private final List<FieldError> errors;
    private final boolean tooLarge;
    private final int count;
    private final boolean bodyUnread;

    public InvalidJobException(List<FieldError> errors, boolean tooLarge) {
        this(errors, tooLarge, errors.size());
    }

    /** {@code count} errors, of which {@code errors} are the ones listed. */
    public InvalidJobException(List<FieldError> errors, boolean tooLarge, int count) {
        this(errors, tooLarge, count, false);
    }

    private InvalidJobException(List<FieldError> errors, boolean tooLarge, int count, boolean bodyUnread) {
        super(errors.isEmpty() ? "invalid job" : describe(errors.get(0)));
        this.errors = List.copyOf(errors);
        this.tooLarge = tooLarge;
        this.count = Math.max(count, errors.size());
        this.bodyUnread = bodyUnread;
    }

    /** The same refusal, found before the body was read to its end (the rest is better not read at all). */
    InvalidJobException withBodyUnread() {
        return new InvalidJobException(errors, tooLarge, count, true);
    }

    private static String describe(FieldError error) {
        return error.field().isEmpty() ? error.message() : error.field() + ": " + error.message();
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** How many errors there are: more than {@link #errors()} lists when there were too many to list. */
    public int count() {
        return count;
    }

    /** True when the request's body was not read to its end: the answer closes the connection. */
    public boolean bodyUnread() {
        return bodyUnread;
    }

    /** True when the only trouble is size: answered with 413 instead of 400. */
    public boolean tooLarge() {
        return tooLarge;
    }
}
