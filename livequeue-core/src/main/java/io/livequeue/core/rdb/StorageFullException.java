package io.livequeue.core.rdb;

/**
 * Redis refused a write because it holds as much as its {@code maxmemory} allows and evicts nothing
 * ({@code maxmemory-policy noeviction}, which a job queue needs: any eviction policy would drop jobs without a word).
 * Told apart from a Redis that does not answer because the outcome is known: the refused command changed nothing (a
 * script is refused at its first write, before it changed anything), so the caller can say so and retry later, once
 * jobs expire or an operator gives Redis more memory.
 */
public class StorageFullException extends StorageUnavailableException {

    public StorageFullException(String message, Throwable cause) {
        super(message, cause, false);
    }
}
