package io.livequeue.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.livequeue.testing.TestSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Follows every job sent to one inbox and counts what a user would care about: which jobs completed (and how often),
 * which were re-run after a failure, and when the last lease-expired take-back happened.
 */
final class JobWatcher implements AutoCloseable {

    private final TestSocket socket;
    private final String inbox;
    private final Map<String, Integer> completions = new ConcurrentHashMap<>();
    private final Map<String, Integer> attemptsAtCompletion = new ConcurrentHashMap<>();
    private final AtomicLong lastTakeBackNanos = new AtomicLong();
    private int dead;

    JobWatcher(LiveStack stack) {
        this.socket = TestSocket.connect(stack.gatewaySocket("/ws"));
        this.inbox = socket.next().path("inbox").asText();
    }

    String inbox() {
        return inbox;
    }

    TestSocket socket() {
        return socket;
    }

    /** Reads events until {@code completed} distinct jobs have completed; fails after {@code atMost}. */
    void awaitCompleted(int completed, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (completions.size() < completed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(completions.size() + " of " + completed + " jobs completed within " + atMost);
            }
            take(socket.next(Duration.ofNanos(Math.min(left, Duration.ofSeconds(30).toNanos()))));
        }
    }

    /**
     * Reads events until every job in {@code ids} has completed (jobs sent to this inbox but not in {@code ids}, such
     * as those whose submit got a 503 but were stored anyway, may complete too); fails after {@code atMost} naming
     * what is missing.
     */
    void awaitCompleted(java.util.Collection<String> ids, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!completions.keySet().containsAll(ids)) {
            long left = deadline - System.nanoTime();
            JsonNode event = null;
            if (left > 0) {
                try {
                    event = socket.next(Duration.ofNanos(Math.min(left, Duration.ofSeconds(30).toNanos())));
                } catch (AssertionError quiet) {
                    // nothing for 30 s: report what is missing
                }
            }
            if (event == null) {
                java.util.List<String> missing = ids.stream().filter(id -> !completions.containsKey(id)).toList();
                throw new AssertionError(missing.size() + " of " + ids.size() + " jobs did not complete within "
                        + atMost + ", e.g. " + missing.subList(0, Math.min(5, missing.size())));
            }
            take(event);
        }
    }

    /** How often {@code id}'s completion was reported (0: not yet). */
    int completions(String id) {
        return completions.getOrDefault(id, 0);
    }

    private void take(JsonNode event) {
        if (!"job".equals(event.path("event").asText())) {
            return;
        }
        String id = event.path("id").asText();
        switch (event.path("status").asText()) {
            case "completed" -> {
                completions.merge(id, 1, Integer::sum);
                attemptsAtCompletion.put(id, event.path("attempts").asInt());
            }
            case "failed" -> {
                if (event.path("error").asText().startsWith("lease expired")) {
                    lastTakeBackNanos.set(System.nanoTime());
                }
            }
            case "dead" -> dead++;
            default -> {
            }
        }
    }

    int completedJobs() {
        return completions.size();
    }

    /** Jobs whose completion was reported more than once: a second final state, which must never happen. */
    long doubleCompletions() {
        return completions.values().stream().filter(n -> n > 1).count();
    }

    /** Jobs that ran more than once before completing (their attempt was taken back or failed). */
    long reRuns() {
        return attemptsAtCompletion.values().stream().filter(n -> n > 1).count();
    }

    int dead() {
        return dead;
    }

    long lastTakeBackNanos() {
        return lastTakeBackNanos.get();
    }

    @Override
    public void close() {
        socket.close();
    }
}
