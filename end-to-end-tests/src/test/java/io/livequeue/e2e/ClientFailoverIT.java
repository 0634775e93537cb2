package io.livequeue.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.livequeue.client.GatewayError;
import io.livequeue.client.JobListener;
import io.livequeue.client.JobRequest;
import io.livequeue.client.JobStatus;
import io.livequeue.client.JobUpdate;
import io.livequeue.client.JobView;
import io.livequeue.client.JobWatcher;
import io.livequeue.client.LiveQueueClient;
import io.livequeue.client.SubmittedJob;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The Java client's watcher on a stack with two gateways: the gateway it is connected to is killed (SIGKILL) while
 * its jobs run; it reconnects to the other one, follows every unfinished job again by token (those sent to its old
 * inbox included), and its listener still gets each job's final event exactly once, with versions only going up.
 */
class ClientFailoverIT {

    private static final int BEFORE_KILL = 300;
    private static final int DURING_RECONNECT = 50;

    @Test
    void watcherMovesToTheOtherGatewayAndGetsEveryFinalEventOnce() {
        try (LiveStack stack = LiveStack.start("client-failover", 0)) {
            // 4 workers and 100 ms jobs: ~40 jobs/s, so the kill lands while most jobs are still waiting or running
            stack.startConsumer("livequeue.consumer.workers=4");
            ServiceProcess first = stack.gatewayProcess();
            ServiceProcess second = stack.startGateway();
            Recorder recorder = new Recorder();
            try (LiveQueueClient client = LiveQueueClient.builder().producer(stack.producer())
                    .gateways(first.ws("/ws"), second.ws("/ws"))
                    .reconnectBackoff(Duration.ofMillis(50), Duration.ofSeconds(1)).build()) {
                JobWatcher watcher = client.watch(recorder);
                await("watcher connected").atMost(Duration.ofSeconds(10)).until(watcher::isConnected);
                URI connectedTo = watcher.connectedGateway().orElseThrow();
                String firstInbox = watcher.inbox().orElseThrow();
                ServiceProcess victim = connectedTo.equals(URI.create(first.ws("/ws"))) ? first : second;
                URI survivor = URI.create((victim == first ? second : first).ws("/ws"));

                // the first jobs go to the watcher's inbox on the gateway about to die: half one by one, half batched
                List<String> ids = new ArrayList<>();
                for (int n = 0; n < BEFORE_KILL / 2; n++) {
                    ids.add(submit(client, n).id());
                }
                for (int n = BEFORE_KILL / 2; n < BEFORE_KILL; n += 50) {
                    List<JobRequest> batch = new ArrayList<>();
                    for (int k = n; k < n + 50; k++) {
                        batch.add(request(k));
                    }
                    client.submitBatch(batch).forEach(job -> ids.add(job.id()));
                }
                await("some jobs finished").atMost(Duration.ofSeconds(30))
                        .until(() -> recorder.finishedJobs() >= 50);

                victim.kill();
                int finishedAtKill = recorder.finishedJobs();
                // more jobs while the watcher reconnects: sent to no inbox or to the new one, followed either way
                for (int n = BEFORE_KILL; n < BEFORE_KILL + DURING_RECONNECT; n++) {
                    ids.add(submit(client, n).id());
                }
                await("every job's final event").atMost(Duration.ofSeconds(90))
                        .until(() -> recorder.finishedJobIds().containsAll(ids));
                // one job more, submitted after all others ended: a late duplicate of theirs would arrive before it
                SubmittedJob last = submit(client, -1);
                await("the last job's final event").atMost(Duration.ofSeconds(30))
                        .until(() -> recorder.finishedJobIds().contains(last.id()));
                ids.add(last.id());

                System.out.println("[client-failover] finished before the kill: " + finishedAtKill + " of "
                        + ids.size() + "; connections: " + recorder.connections);
                assertThat(finishedAtKill).as("jobs finished when the gateway was killed").isLessThan(BEFORE_KILL);
                assertThat(recorder.connections).as("gateways connected to, in order").hasSize(2)
                        .containsExactly(connectedTo, survivor);
                assertThat(watcher.connectedGateway()).contains(survivor);
                assertThat(watcher.inbox()).isPresent().get().isNotEqualTo(firstInbox);
                assertThat(recorder.errors).as("error frames").isEmpty();
                assertThat(recorder.updates.keySet()).as("jobs heard of").containsExactlyInAnyOrderElementsOf(ids);
                for (String id : ids) {
                    List<JobUpdate> updates = recorder.updates.get(id);
                    assertThat(updates.stream().filter(JobUpdate::isFinal))
                            .as("final events of job %s: %s", id, updates).hasSize(1)
                            .allSatisfy(u -> assertThat(u.status()).isEqualTo(JobStatus.COMPLETED));
                    assertThat(updates.get(updates.size() - 1).isFinal()).as("last event of %s is final", id)
                            .isTrue();
                    assertThat(updates).extracting(JobUpdate::version).as("versions of job %s", id)
                            .allSatisfy(v -> assertThat(v).isPositive()).isSorted().doesNotHaveDuplicates();
                }
                // jobs sent to the first gateway's inbox that ended after the kill: the watcher followed them by token
                long followedAcross = ids.subList(0, BEFORE_KILL).stream()
                        .filter(id -> survivor.equals(recorder.finishedOn.get(id))).count();
                System.out.println("[client-failover] jobs of the old inbox finished via the other gateway: "
                        + followedAcross);
                assertThat(followedAcross).as("jobs of the old inbox finished via the other gateway").isPositive();
                assertThat(watcher.followedJobs()).as("jobs still followed").isZero();

                JobView stored = client.status(ids.get(0));
                assertThat(stored.status()).isEqualTo(JobStatus.COMPLETED);
                assertThat(stored.result().path("n").asInt()).isZero();
                assertThat(stored.createdAt()).isNotNull();
                assertThat(stored.finishedAt()).isAfterOrEqualTo(stored.createdAt());
            }
        }
    }

    private static SubmittedJob submit(LiveQueueClient client, int n) {
        SubmittedJob job = client.submit(request(n));
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.token()).isNotBlank();
        assertThat(job.createdAt()).isNotNull();
        return job;
    }

    private static JobRequest request(int n) {
        return JobRequest.of(n == 0 ? "echo" : "sleep").withPayload(n == 0 ? Map.of("n", 0) : Map.of("ms", 100));
    }

    /** Everything the listener heard: updates per job in arrival order, gateways connected to, error frames. */
    private static final class Recorder implements JobListener {
        final Map<String, List<JobUpdate>> updates = new ConcurrentHashMap<>();
        final Map<String, URI> finishedOn = new ConcurrentHashMap<>();
        final List<URI> connections = new CopyOnWriteArrayList<>();
        final List<GatewayError> errors = new CopyOnWriteArrayList<>();
        private final Set<String> finished = ConcurrentHashMap.newKeySet();
        private volatile URI gateway;

        @Override
        public void onUpdate(JobUpdate update) {
            updates.computeIfAbsent(update.id(), id -> new CopyOnWriteArrayList<>()).add(update);
            if (update.isFinal()) {
                finishedOn.put(update.id(), gateway);
                finished.add(update.id());
            }
        }

        @Override
        public void onError(GatewayError error) {
            errors.add(error);
        }

        @Override
        public void onConnected(URI uri, String inbox) {
            gateway = uri;
            connections.add(uri);
        }

        int finishedJobs() {
            return finished.size();
        }

        Set<String> finishedJobIds() {
            return new LinkedHashSet<>(finished);
        }
    }
}
