package io.livequeue.core.rdb;

/**
 * Redis did not answer in time or could not be reached, or refused a write for want of memory
 * ({@link StorageFullException}); the caller may try again later. When the command may still have run (it was sent,
 * but no answer came), {@link #outcomeUnknown()} says so: a write may have taken effect.
 */
public class StorageUnavailableException extends RuntimeException {

    private final boolean outcomeUnknown;

    public StorageUnavailableException(String message, Throwable cause, boolean outcomeUnknown) {
        super(message, cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
