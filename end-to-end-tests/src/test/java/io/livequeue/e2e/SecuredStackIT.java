package io.livequeue.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.livequeue.client.JobListener;
import io.livequeue.client.JobNotFoundException;
import io.livequeue.client.JobRequest;
import io.livequeue.client.JobStatus;
import io.livequeue.client.JobUpdate;
import io.livequeue.client.JobWatcher;
import io.livequeue.client.LiveQueueClient;
import io.livequeue.client.SubmittedJob;
import io.livequeue.client.UnauthorizedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole stack with {@code livequeue.auth=api-keys}, as it is exposed on a network: a client with its API key
 * submits and its jobs' events reach its inbox over the WebSocket, which still needs only inboxes and job tokens;
 * without credentials nothing is submitted, and a job is read by its token, its owner, or nobody else.
 */
class SecuredStackIT {

    private static LiveStack stack;
    private static String aliceKey;
    private static String bobKey;

    @BeforeAll
    static void start() {
        stack = LiveStack.startWith("secured", List.of("livequeue.auth=api-keys"));
        stack.startConsumer();
        aliceKey = key("alice");
        bobKey = key("bob");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void aClientWithItsKeySubmitsAndWatchesItsJobToTheEnd() {
        List<JobUpdate> updates = new CopyOnWriteArrayList<>();
        try (LiveQueueClient alice = client(aliceKey)) {
            JobWatcher watcher = alice.watch(new JobListener() {
                @Override
                public void onUpdate(JobUpdate update) {
                    updates.add(update);
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(watcher::isConnected);

            SubmittedJob job = alice.submit(JobRequest.of("echo").withPayload(Map.of("to", "alice")));

            await().atMost(Duration.ofSeconds(15)).until(() -> updates.stream().anyMatch(JobUpdate::isFinal));
            assertThat(updates).extracting(JobUpdate::status).endsWith(JobStatus.COMPLETED);
            assertThat(alice.status(job.id()).status()).isEqualTo(JobStatus.COMPLETED);
        }
    }

    @Test
    void withoutCredentialsNothingIsSubmitted() {
        try (LiveQueueClient anonymous = client(null)) {
            assertThatThrownBy(() -> anonymous.submit(JobRequest.of("echo")))
                    .isInstanceOfSatisfying(UnauthorizedException.class, e -> assertThat(e.status()).isEqualTo(401));
        }
    }

    @Test
    void aJobIsReadByItsTokenOrItsOwnerAndByNobodyElse() {
        try (LiveQueueClient alice = client(aliceKey); LiveQueueClient bob = client(bobKey);
                LiveQueueClient anonymous = client(null)) {
            SubmittedJob job = alice.submit(JobRequest.of("echo"));

            assertThat(anonymous.status(job).id()).isEqualTo(job.id());
            assertThat(alice.status(job.id()).id()).isEqualTo(job.id());
            assertThatThrownBy(() -> bob.status(job.id())).isInstanceOf(JobNotFoundException.class);
            assertThatThrownBy(() -> anonymous.status(job.id())).isInstanceOf(UnauthorizedException.class);
        }
    }

    @Test
    void livequeueJsSendsItsBearerWithEverySubmit() throws Exception {
        int[] version = NodeClientIT.nodeVersion();
        Assumptions.assumeTrue(version != null && (version[0] > 20 || version[0] == 20 && version[1] >= 10),
                "livequeue.js under Node needs node 22+ (or 20.10+) on the PATH");
        Path root = Path.of(System.getProperty("livequeue.root", "..")).toAbsolutePath().normalize();
        List<String> command = new ArrayList<>(List.of("node"));
        if (version[0] < 22) {
            command.add("--experimental-websocket");
        }
        command.addAll(List.of(root.resolve("end-to-end-tests/src/test/node/livequeue-node-bearer.mjs").toString(),
                root.resolve("websocket-gateway/src/main/resources/META-INF/resources/livequeue.js").toString(),
                stack.gateway(), stack.producer(), aliceKey));
        Process node = new ProcessBuilder(command).redirectErrorStream(true).start();
        node.getOutputStream().close();
        boolean exited = node.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            node.destroyForcibly();
        }
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(exited).as(output).isTrue();
        assertThat(node.exitValue()).as(output).isZero();
        assertThat(output).contains("ok refused without a bearer", "ok submitted with a bearer and watched");
    }

    private static LiveQueueClient client(String key) {
        LiveQueueClient.Builder builder = LiveQueueClient.builder().producer(stack.producer())
                .gateways(stack.gatewaySocket("/ws"));
        return (key == null ? builder : builder.bearerToken(key)).build();
    }

    private static String key(String name) {
        Rest.Answer created = Rest.asOperator("POST", stack.producer() + "/api/keys",
                "{\"name\":\"" + name + "\",\"scopes\":[\"jobs:submit\",\"jobs:read\"]}");
        assertThat(created.status()).isEqualTo(201);
        return created.body().path("key").asText();
    }
}
