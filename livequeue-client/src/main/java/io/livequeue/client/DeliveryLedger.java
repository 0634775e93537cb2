package io.livequeue.client;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers, per job, the newest update handed to the listener, and admits an update only if it is newer. It exists
 * because the same change can reach a watcher more than once (by inbox and by subscription, from the old and the new
 * gateway around a reconnect, and as the snapshot a subscription starts with) and late: the job's version
 * ({@code v}) orders them. Without versions (an older gateway) it falls back to dropping exact repeats and anything
 * after a final state. It holds at most {@code capacity} jobs, forgetting the least recently updated; not thread-safe
 * (the watcher guards it).
 */
final class DeliveryLedger {

    private record Seen(long version, JobStatus status, int attempts) {
    }

    private final Map<String, Seen> seen;

    DeliveryLedger(int capacity) {
        this.seen = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
                return size() > capacity;
            }
        };
    }

    /** True, and remembered, if {@code update} is news; false if the listener already has it or something newer. */
    boolean admit(JobUpdate update) {
        Seen last = seen.get(update.id());
        if (last != null) {
            if (update.version() >= 0 && last.version() >= 0) {
                if (update.version() <= last.version()) {
                    return false;
                }
            } else if (last.status().isFinal()
                    || (last.status() == update.status() && last.attempts() == update.attempts())) {
                return false;
            }
        }
        seen.put(update.id(), new Seen(update.version(), update.status(), update.attempts()));
        return true;
    }

    /** Whether the newest update delivered for {@code jobId} was final. */
    boolean isFinal(String jobId) {
        Seen last = seen.get(jobId);
        return last != null && last.status().isFinal();
    }
}
