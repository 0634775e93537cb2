package io.livequeue.core.rdb;

/** Redis did not answer in time or could not be reached; the caller may try again later. */
public class StorageUnavailableException extends RuntimeException {

    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
