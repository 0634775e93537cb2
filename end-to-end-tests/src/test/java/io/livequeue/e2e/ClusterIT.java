package io.livequeue.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.livequeue.testing.RedisCluster;
import io.livequeue.testing.RedisServer;
import io.livequeue.testing.Resp;
import io.livequeue.testing.TestSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The three services as real processes on a real three-master Redis Cluster ({@code quarkus.redis.client-type=cluster},
 * nothing else changed): the pipeline a user drives (single and batch submits with {@code replyTo}, a token
 * subscription, idempotent replay, retries, dead letters retried and deleted over REST, queue counts), then a consumer
 * killed with SIGKILL mid-run, then three queues that live on three different masters. Every job completes exactly
 * once, and no service logs a {@code CROSSSLOT} or {@code MOVED} error: every command, pipeline and script touches the
 * one slot of its queue's hash tag, and events travel by sharded pub/sub on the master that owns it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static RedisCluster cluster;
    private static LiveStack stack;

    @BeforeAll
    static void startClusterAndStack() {
        cluster = RedisCluster.start();
        try {
            stack = LiveStack.startOn("cluster", 2, cluster.hosts(), "quarkus.redis.client-type=cluster");
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    @AfterAll
    static void stopStackAndCluster() {
        if (stack != null) {
            stack.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void pipelineRunsOnTheClusterWithShardedEvents() {
        RedisServer owner = cluster.nodeFor("livequeue:{jobs}:events");
        List<Object> channels = new ArrayList<>((List<?>) Resp.call(owner.port(), "PUBSUB", "SHARDCHANNELS"));
        assertThat(channels).as("the gateway listens to the events and the consumer to the cancellations by "
                + "SSUBSCRIBE on the slot's master")
                .containsExactlyInAnyOrder("livequeue:{jobs}:events", "livequeue:{jobs}:cancels");

        try (JobWatcher watcher = new JobWatcher(stack)) {
            Set<String> ids = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < 100; i++) {
                Rest.Answer one = Rest.post(stack.producer() + "/api/jobs", "{\"type\":\"echo\",\"payload\":{\"n\":"
                        + i + "},\"replyTo\":\"" + watcher.inbox() + "\"}");
                assertThat(one.status()).as(one.body().toString()).isEqualTo(202);
                ids.add(one.body().path("id").asText());
            }
            StringBuilder batch = new StringBuilder("{\"jobs\":[");
            for (int i = 0; i < 200; i++) {
                batch.append(i == 0 ? "" : ",").append("{\"type\":\"echo\",\"payload\":").append(i)
                        .append(",\"priority\":\"").append(i % 3 == 0 ? "high" : i % 3 == 1 ? "normal" : "low")
                        .append("\",\"replyTo\":\"").append(watcher.inbox()).append("\"}");
            }
            Rest.Answer batched = Rest.post(stack.producer() + "/api/jobs/batch", batch.append("]}").toString());
            assertThat(batched.status()).as(batched.body().toString()).isEqualTo(202);
            batched.body().path("jobs").forEach(job -> ids.add(job.path("id").asText()));
            assertThat(ids).hasSize(300);

            watcher.awaitCompleted(ids, Duration.ofSeconds(60));
            assertThat(watcher.doubleCompletions()).as("jobs completed twice").isZero();
            assertThat(Rest.get(stack.producer() + "/api/jobs/" + ids.iterator().next()).body().path("status")
                    .asText()).isEqualTo("completed");
        }

        Rest.Answer submitted = Rest.post(stack.producer() + "/api/jobs",
                "{\"type\":\"sleep\",\"payload\":{\"ms\":200}}");
        String id = submitted.body().path("id").asText();
        try (TestSocket socket = TestSocket.connect(stack.gatewaySocket("/ws"))) {
            socket.next();
            socket.send("{\"op\":\"subscribe\",\"job\":\"" + id + "\",\"token\":\""
                    + submitted.body().path("token").asText() + "\"}");
            assertThat(socket.next().path("event").asText()).isEqualTo("subscribed");
            JsonNode done = socket.nextMatching(e -> "completed".equals(e.path("status").asText()));
            assertThat(done.path("result").path("slept").asInt()).isEqualTo(200);
        }

        String key = "{\"type\":\"echo\",\"payload\":1}";
        Rest.Answer first = Rest.postWithKey(stack.producer() + "/api/jobs", key, "cluster-replay-1");
        Rest.Answer replay = Rest.postWithKey(stack.producer() + "/api/jobs", key, "cluster-replay-1");
        assertThat(first.status()).isEqualTo(202);
        assertThat(replay.body().path("id").asText()).as("same job on replay").isEqualTo(first.body().path("id")
                .asText());

        String dead = Rest.post(stack.producer() + "/api/jobs", "{\"type\":\"fail\",\"maxAttempts\":2}").body()
                .path("id").asText();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Rest.get(stack.producer()
                + "/api/jobs/" + dead).body().path("status").asText()).isEqualTo("dead"));
        assertThat(Rest.asOperator("GET", stack.producer() + "/api/dead").body().path("jobs").get(0).path("id")
                .asText()).isEqualTo(dead);
        assertThat(Rest.asOperator("POST", stack.producer() + "/api/dead/" + dead + "/retry").status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Rest.get(stack.producer()
                + "/api/jobs/" + dead).body().path("status").asText()).isEqualTo("dead"));
        assertThat(Rest.asOperator("DELETE", stack.producer() + "/api/dead/" + dead).status()).isEqualTo(204);
        assertThat(Rest.get(stack.producer() + "/api/jobs/" + dead).status()).isEqualTo(404);

        // jobs in time on the cluster: a scheduled job runs at its time, a running one is cancelled through the
        // consumer's sharded subscription to the slot's cancel channel
        String later = Rest.post(stack.producer() + "/api/jobs", "{\"type\":\"echo\",\"delay\":300}").body()
                .path("id").asText();
        String running = Rest.post(stack.producer() + "/api/jobs", "{\"type\":\"sleep\",\"payload\":{\"ms\":30000}}")
                .body().path("id").asText();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Rest.get(stack.producer()
                + "/api/jobs/" + later).body().path("status").asText()).isEqualTo("completed"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Rest.get(stack.producer()
                + "/api/jobs/" + running).body().path("status").asText()).isEqualTo("active"));
        assertThat(Rest.post(stack.producer() + "/api/jobs/" + running + "/cancel", "").status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Rest.get(stack.producer()
                + "/api/jobs/" + running).body().path("status").asText()).isEqualTo("cancelled"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode queues = Rest.get(stack.producer() + "/api/queues").body();
            for (String priority : List.of("high", "normal", "low")) {
                assertThat(queues.path(priority).path("waiting").asLong()).isZero();
                assertThat(queues.path(priority).path("active").asLong()).isZero();
                assertThat(queues.path(priority).path("dead").asLong()).isZero();
            }
        });
        for (ServiceProcess service : stack.services()) {
            assertThat(Rest.get(service.url() + "/q/health").body().path("status").asText()).as(service.url())
                    .isEqualTo("UP");
        }
        assertThat((Long) Resp.call(owner.port(), "DBSIZE")).as("the jobs live on the slot's master").isPositive();
        assertNoClusterErrors();
    }

    @Test
    @Order(2)
    void consumerKilledOnTheClusterLosesNoJob() {
        int jobs = 1000;
        try (JobWatcher watcher = new JobWatcher(stack)) {
            StringBuilder batch = new StringBuilder("{\"jobs\":[");
            for (int i = 0; i < jobs; i++) {
                batch.append(i == 0 ? "" : ",").append("{\"type\":\"sleep\",\"payload\":{\"ms\":25},\"replyTo\":\"")
                        .append(watcher.inbox()).append("\"}");
            }
            Rest.Answer answer = Rest.post(stack.producer() + "/api/jobs/batch", batch.append("]}").toString());
            assertThat(answer.status()).as(answer.body().toString()).isEqualTo(202);
            watcher.awaitCompleted(150, Duration.ofSeconds(60));

            long killedAt = System.nanoTime();
            stack.consumers().get(0).kill();
            watcher.awaitCompleted(jobs, Duration.ofSeconds(90));
            long doneAt = System.nanoTime();

            assertThat(watcher.doubleCompletions()).as("jobs completed twice").isZero();
            assertThat(watcher.dead()).as("dead jobs").isZero();
            double recovery = Math.max(0, watcher.lastTakeBackNanos() - killedAt) / 1e9;
            Figures.record("Redis Cluster (3 masters): SIGKILL one of two consumers during 1,000 `sleep` jobs of 25 ms",
                    "accepted " + jobs + ", completed " + watcher.completedJobs() + ", lost " + (jobs
                            - watcher.completedJobs()) + ", completed twice " + watcher.doubleCompletions()
                            + ", re-run " + watcher.reRuns() + ", orphans back in line " + String.format("%.1f s",
                            recovery) + " after the kill, run finished " + String.format("%.1f s",
                            (doneAt - killedAt) / 1e9) + " after it; CROSSSLOT/MOVED errors in the logs: "
                            + clusterErrors().size());
        }
        assertNoClusterErrors();
    }

    @Test
    @Order(3)
    void queuesSpreadOverTheMastersEachOnItsOwn() {
        // three queue names whose hash tags fall on three different masters
        Map<RedisServer, String> queueOn = new LinkedHashMap<>();
        for (int i = 0; queueOn.size() < cluster.nodes().size() && i < 1000; i++) {
            String name = "spread-" + i;
            queueOn.putIfAbsent(cluster.nodeFor("livequeue:{q:" + name + "}:events"), name);
        }
        assertThat(queueOn).hasSize(3);
        stack.startConsumer("livequeue.consumer.queues=" + String.join(",", queueOn.values()));
        Map<RedisServer, Long> scriptsBefore = new LinkedHashMap<>();
        queueOn.keySet().forEach(node -> scriptsBefore.put(node, scriptCalls(node)));

        try (JobWatcher watcher = new JobWatcher(stack)) {
            Set<String> ids = ConcurrentHashMap.newKeySet();
            for (String queue : queueOn.values()) {
                StringBuilder batch = new StringBuilder("{\"queue\":\"" + queue + "\",\"jobs\":[");
                for (int i = 0; i < 200; i++) {
                    batch.append(i == 0 ? "" : ",").append("{\"type\":\"echo\",\"payload\":").append(i)
                            .append(",\"replyTo\":\"").append(watcher.inbox()).append("\"}");
                }
                Rest.Answer answer = Rest.post(stack.producer() + "/api/jobs/batch", batch.append("]}").toString());
                assertThat(answer.status()).as(answer.body().toString()).isEqualTo(202);
                answer.body().path("jobs").forEach(job -> ids.add(job.path("id").asText()));
            }
            // every event reaches the socket: the gateway follows each queue on its own master
            watcher.awaitCompleted(ids, Duration.ofSeconds(60));
            assertThat(watcher.doubleCompletions()).as("jobs completed twice").isZero();
        }

        List<String> figures = new ArrayList<>();
        queueOn.forEach((node, queue) -> {
            String key = "livequeue:{q:" + queue + "}:events";
            long slot = (Long) Resp.call(node.port(), "CLUSTER", "KEYSLOT", key);
            assertThat((Long) Resp.call(node.port(), "CLUSTER", "COUNTKEYSINSLOT", Long.toString(slot)))
                    .as("keys of queue %s on its master", queue).isPositive();
            List<Object> channels = new ArrayList<>((List<?>) Resp.call(node.port(), "PUBSUB", "SHARDCHANNELS",
                    "*" + queue + "*"));
            assertThat(channels)
                    .as("the gateway's and the consumer's SSUBSCRIBE to %s on its master", queue)
                    .containsExactlyInAnyOrder(key, "livequeue:{q:" + queue + "}:cancels");
            long scripts = scriptCalls(node) - scriptsBefore.get(node);
            assertThat(scripts).as("scripts run by the master of %s", queue).isPositive();
            figures.add(queue + " on :" + node.port() + " (slot " + slot + ", " + scripts + " scripts)");
        });
        Figures.record("Redis Cluster (3 masters): 3 queues of 200 jobs each", String.join("; ", figures)
                + "; CROSSSLOT/MOVED errors in the logs: " + clusterErrors().size());
        assertNoClusterErrors();
    }

    private static long scriptCalls(RedisServer node) {
        String stats = (String) Resp.call(node.port(), "INFO", "commandstats");
        long calls = 0;
        for (String line : stats.split("\r\n")) {
            if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
                calls += Long.parseLong(line.replaceAll("^[^:]*:calls=(\\d+),.*", "$1"));
            }
        }
        return calls;
    }

    private static void assertNoClusterErrors() {
        assertThat(clusterErrors()).as("CROSSSLOT / MOVED errors in the services' logs").isEmpty();
    }

    /** Lines of the services' logs that report a cross-slot command or a redirect the client did not follow. */
    private static List<String> clusterErrors() {
        List<String> found = new ArrayList<>();
        for (ServiceProcess service : stack.services()) {
            try (Stream<String> lines = Files.lines(service.log(), StandardCharsets.UTF_8)) {
                lines.filter(line -> line.contains("CROSSSLOT") || line.contains("MOVED") || line.contains("ASK "))
                        .forEach(line -> found.add(service.log().getFileName() + ": " + line));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }
}
