package io.livequeue.core.rdb;

import io.livequeue.core.Priority;
import java.util.ArrayList;
import java.util.List;

/**
 * What an enqueue did: stored the jobs at {@code createdAt}, or, for a repeated Idempotency-Key, nothing, in which
 * case {@code firstIds} are the jobs the first request created. The receipt of that first request also says when it
 * was stored ({@code createdAt}), the {@code fingerprint} of its body and its jobs' {@code firstJobs} (type and
 * priority), so a replay can be answered without reading the jobs, which may be gone by then. A key stored before
 * receipts existed has only the ids: {@code fingerprint} and {@code firstJobs} are null and {@code createdAt} 0.
 */
public record Enqueued(long createdAt, List<String> firstIds, String fingerprint, List<Receipt> firstJobs) {

    /** One job of a first request, as its receipt remembers it. */
    public record Receipt(String id, String type, Priority priority, Long runAt) {

        public Receipt(String id, String type, Priority priority) {
            this(id, type, priority, null);
        }
    }

    public Enqueued(long createdAt, List<String> firstIds) {
        this(createdAt, firstIds, null, null);
    }

    public boolean replayed() {
        return firstIds != null;
    }

    /** Reads the value {@code enqueue.lua} keeps under an idempotency key (both formats, see the script). */
    static Enqueued replay(String stored) {
        if (!stored.startsWith("r1 ")) {
            return new Enqueued(0, List.of(stored.split(",")));
        }
        int newline = stored.indexOf('\n');
        String[] head = stored.substring(3, newline).split(" ");
        String[] lines = stored.substring(newline + 1).split(",");
        List<String> ids = new ArrayList<>(lines.length);
        List<Receipt> jobs = new ArrayList<>(lines.length);
        for (String line : lines) {
            String[] parts = line.split(" ");
            ids.add(parts[0]);
            jobs.add(new Receipt(parts[0], parts[1], Priority.values()[Integer.parseInt(parts[2]) - 1],
                    parts.length > 3 ? Long.valueOf(parts[3]) : null));
        }
        return new Enqueued(Long.parseLong(head[1]), List.copyOf(ids), head[0], List.copyOf(jobs));
    }
}
