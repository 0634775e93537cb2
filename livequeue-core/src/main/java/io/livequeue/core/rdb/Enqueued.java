package io.livequeue.core.rdb;

import java.util.List;

/**
 * What an enqueue did: stored the jobs at {@code createdAt}, or, for a repeated Idempotency-Key, nothing, in which
 * case {@code firstIds} are the jobs the first request created.
 */
public record Enqueued(long createdAt, List<String> firstIds) {

    public boolean replayed() {
        return firstIds != null;
    }
}
