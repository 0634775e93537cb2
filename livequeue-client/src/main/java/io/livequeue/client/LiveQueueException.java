package io.livequeue.client;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An error answered by livequeue, read from its {@code application/problem+json} body (RFC 9457). It exists so that a
 * caller gets the server's whole explanation as typed fields (HTTP status, problem {@code type} URI, {@code title},
 * {@code detail}, every invalid field in {@link #errors()}) and can catch the subclass for the cases it handles:
 * {@link InvalidRequestException}, {@link JobNotFoundException}, {@link QueueFullException},
 * {@link ServiceUnavailableException}, {@link UnauthorizedException}, {@link ConflictException}, and
 * {@link ConnectionFailedException} when no answer came at all. Unchecked, like the JDK's own I/O wrappers.
 */
public class LiveQueueException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final String detail;
    private final List<FieldError> errors;
    private final Duration retryAfter;

    public LiveQueueException(int status, String type, String title, String detail, List<FieldError> errors,
            Duration retryAfter) {
        this(status, type, title, detail, errors, retryAfter, null);
    }

    protected LiveQueueException(int status, String type, String title, String detail, List<FieldError> errors,
            Duration retryAfter, Throwable cause) {
        super(message(status, title, detail, errors), cause);
        this.status = status;
        this.type = type;
        this.title = title;
        this.detail = detail;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.retryAfter = retryAfter;
    }

    /** The HTTP status; 0 when no answer came ({@link ConnectionFailedException}). */
    public int status() {
        return status;
    }

    /** The problem type, e.g. {@code urn:livequeue:problem:invalid-job}; null if the answer had none. */
    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    /** Every invalid field the server listed; empty when the problem is not about fields. */
    public List<FieldError> errors() {
        return errors;
    }

    /** The server's {@code Retry-After} (429, 503), if it sent one in seconds. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    private static String message(int status, String title, String detail, List<FieldError> errors) {
        StringBuilder text = new StringBuilder();
        text.append(status == 0 ? "no answer" : "HTTP " + status);
        if (title != null) {
            text.append(' ').append(title);
        }
        if (detail != null) {
            text.append(": ").append(detail);
        }
        if (errors != null) {
            errors.forEach(e -> text.append("; ").append(e.field().isEmpty() ? "body" : e.field()).append(": ")
                    .append(e.message()));
        }
        return text.toString();
    }
}
