package io.livequeue.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.livequeue.testing.RedisSentinelSetup;
import io.livequeue.testing.RedisServer;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The three services as real processes on a Redis Sentinel set-up (master with {@code min-replicas-to-write 1},
 * replica, one sentinel; {@code quarkus.redis.client-type=sentinel}, {@code master-name}, {@code auto-failover}, and
 * {@code livequeue.redis.wait-for-replicas=1}), with jobs submitted one by one without pause while
 * {@code SENTINEL FAILOVER} promotes the replica and, about ten seconds later, the sentinel turns the old master into a
 * replica of the new one (closing every connection to it). The producer answers 503 while no replica confirms its
 * writes (those jobs were not accepted); every job it accepted with 202 completes and its result reaches the browser's
 * socket.
 */
class SentinelIT {

    @Test
    void everyAcceptedJobCompletesAcrossAFailover() {
        try (RedisSentinelSetup sentinel = RedisSentinelSetup.start();
                LiveStack stack = LiveStack.startOn("sentinel", 2, sentinel.sentinelUrl(),
                        "quarkus.redis.client-type=sentinel",
                        "quarkus.redis.master-name=" + sentinel.masterName(),
                        "quarkus.redis.role=master",
                        "quarkus.redis.auto-failover=true",
                        "livequeue.redis.wait-for-replicas=1");
                JobWatcher watcher = new JobWatcher(stack);
                Submitter submitter = new Submitter(stack.producer(), watcher.inbox())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> submitter.accepted() >= 200);

            RedisServer oldMaster = sentinel.master();
            long failoverAt = System.nanoTime();
            RedisServer newMaster = sentinel.failover(Duration.ofSeconds(30));
            long switchedAt = System.nanoTime();
            int atSwitch = submitter.accepted();
            await("jobs accepted on the new master").atMost(Duration.ofSeconds(30))
                    .until(() -> submitter.accepted() >= atSwitch + 200);

            // about ten seconds after the switch the sentinel makes the old master a replica of the new one and
            // closes every client connection to it: from then on it answers writes with READONLY
            sentinel.awaitReplicating(oldMaster, Duration.ofSeconds(30));
            long demotedAt = System.nanoTime();
            int atDemotion = submitter.accepted();
            await("jobs accepted after the old master became a replica").atMost(Duration.ofSeconds(30))
                    .until(() -> submitter.accepted() >= atDemotion + 200);
            submitter.stop();

            Set<String> accepted = submitter.acceptedIds();
            // the promise, read from Redis itself: every job accepted with 202 completes
            Set<String> open = ConcurrentHashMap.newKeySet();
            open.addAll(accepted);
            await("every accepted job completed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptionsInstanceOf(UncheckedIOException.class).untilAsserted(() -> {
                        open.removeIf(id -> "completed".equals(Rest.get(stack.producer() + "/api/jobs/" + id).body()
                                .path("status").asText()));
                        assertThat(open).as("accepted jobs not completed").isEmpty();
                    });
            long doneAt = System.nanoTime();
            // and the browser's socket got their results: the gateway subscribed again on the new master long before
            // the producer accepted anything there (it waits for a replica, which the new master gets only once the
            // old one has been demoted), and caught up the jobs it knew from before the failover
            watcher.awaitCompleted(accepted, Duration.ofSeconds(30));
            for (ServiceProcess service : stack.services()) {
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(Rest.get(service.url()
                        + "/q/health").body().path("status").asText()).as(service.url()).isEqualTo("UP"));
            }
            assertThat(newMaster.port()).isNotEqualTo(oldMaster.port());
            Figures.record("Redis Sentinel (master, replica, 1 sentinel): `SENTINEL FAILOVER` while jobs are "
                    + "submitted one by one, then the old master demoted to replica",
                    "accepted " + accepted.size() + ", completed " + accepted.size() + ", lost 0, results on the "
                            + "socket " + accepted.size() + ", completed twice "
                            + watcher.doubleCompletions() + ", refused " + submitter.refusals()
                            + " (" + submitter.statuses() + "), longest stretch without a 202: "
                            + submitter.longestGapMs() + " ms; failover reported after "
                            + (switchedAt - failoverAt) / 1_000_000 + " ms, old master demoted "
                            + String.format("%.1f s", (demotedAt - switchedAt) / 1e9)
                            + " after the switch, all done " + String.format("%.1f s", (doneAt - demotedAt) / 1e9)
                            + " after that");
        }
    }

    /**
     * Submits {@code echo} jobs with {@code replyTo}, one request at a time without pause, on its own thread, and
     * keeps the ids the producer accepted (202) apart from the refused requests.
     */
    private static final class Submitter implements AutoCloseable {

        private final String producer;
        private final String inbox;
        private final Set<String> accepted = ConcurrentHashMap.newKeySet();
        private final Map<String, AtomicInteger> refused = new ConcurrentHashMap<>();
        private final AtomicLong longestGapNanos = new AtomicLong();
        private final Thread thread;
        private volatile boolean running = true;

        Submitter(String producer, String inbox) {
            this.producer = producer;
            this.inbox = inbox;
            this.thread = new Thread(this::run, "sentinel-it-submitter");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            long lastAccepted = System.nanoTime();
            int n = 0;
            while (running) {
                String outcome;
                try {
                    Rest.Answer answer = Rest.post(producer + "/api/jobs", "{\"type\":\"echo\",\"payload\":{\"n\":"
                            + n++ + "},\"replyTo\":\"" + inbox + "\"}");
                    if (answer.status() == 202) {
                        accepted.add(answer.body().path("id").asText());
                        long now = System.nanoTime();
                        longestGapNanos.accumulateAndGet(now - lastAccepted, Math::max);
                        lastAccepted = now;
                        continue;
                    }
                    outcome = String.valueOf(answer.status());
                } catch (UncheckedIOException e) {
                    outcome = "io-error";
                }
                refused.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
            }
        }

        int accepted() {
            return accepted.size();
        }

        Set<String> acceptedIds() {
            return Set.copyOf(accepted);
        }

        int refusals() {
            return refused.values().stream().mapToInt(AtomicInteger::get).sum();
        }

        String statuses() {
            return refused.isEmpty() ? "none" : refused.toString();
        }

        long longestGapMs() {
            return longestGapNanos.get() / 1_000_000;
        }

        void stop() {
            running = false;
            try {
                thread.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            stop();
        }
    }
}
