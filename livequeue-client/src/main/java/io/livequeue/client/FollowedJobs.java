package io.livequeue.client;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The jobs a watcher follows until they end: id, token, and the inbox they were submitted with, plus which of them
 * are subscribed on the current connection. It exists because a reconnect loses every subscription and changes the
 * inbox: after it, each unfinished job must be subscribed again by its token, including those that used to reach the
 * old inbox. Not thread-safe (the watcher guards it).
 */
final class FollowedJobs {

    /** A followed job; {@code replyTo} is the inbox its events were sent to at submit (null: none). */
    record Followed(String id, String token, String replyTo) {
    }

    private final Map<String, Followed> jobs = new LinkedHashMap<>();
    private final Set<String> subscribed = new HashSet<>();

    void add(Followed job) {
        jobs.put(job.id(), job);
    }

    Followed get(String jobId) {
        return jobs.get(jobId);
    }

    /** Stops following {@code jobId}; true if it was subscribed on the current connection (unsubscribe it there). */
    boolean remove(String jobId) {
        jobs.remove(jobId);
        return subscribed.remove(jobId);
    }

    /** Records that {@code jobId} is subscribed on the current connection. */
    void subscribed(String jobId) {
        subscribed.add(jobId);
    }

    /** The connection is gone, and its subscriptions with it. */
    void connectionLost() {
        subscribed.clear();
    }

    List<Followed> all() {
        return new ArrayList<>(jobs.values());
    }

    int size() {
        return jobs.size();
    }
}
