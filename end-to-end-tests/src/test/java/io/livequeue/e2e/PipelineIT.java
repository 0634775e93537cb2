package io.livequeue.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.livequeue.testing.TestSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The three services together, as separate processes on a real Redis, driven like a user drives them. */
@ExtendWith(LiveStack.class)
class PipelineIT {

    private final LiveStack stack = LiveStack.get();

    @Test
    void postedJobArrivesOnTheSocketAndIsCompletedInTheApi() {
        try (TestSocket socket = TestSocket.connect(stack.gatewaySocket("/ws"))) {
            String inbox = socket.next().path("inbox").asText();
            Rest.Answer submitted = Rest.post(stack.producer() + "/api/jobs",
                    "{\"type\":\"echo\",\"payload\":{\"hello\":\"world\"},\"replyTo\":\"" + inbox + "\"}");
            assertThat(submitted.status()).isEqualTo(202);
            String id = submitted.body().path("id").asText();

            JsonNode completed = socket.nextMatching(e -> id.equals(e.path("id").asText())
                    && "completed".equals(e.path("status").asText()));
            assertThat(completed.path("result").path("hello").asText()).isEqualTo("world");
            assertThat(completed.path("attempts").asInt()).isEqualTo(1);

            Rest.Answer job = Rest.get(stack.producer() + "/api/jobs/" + id);
            assertThat(job.status()).isEqualTo(200);
            assertThat(job.body().path("status").asText()).isEqualTo("completed");
            assertThat(job.body().path("result").path("hello").asText()).isEqualTo("world");
            assertThat(job.body().path("finishedAt").asText()).isNotEmpty();
        }
    }

    @Test
    void seedSnippetOnTheRootPathGetsWelcomeAndErrorAndStaysOpen() {
        try (TestSocket seed = TestSocket.connect(stack.gatewaySocket(""))) {
            assertThat(seed.next().path("event").asText()).isEqualTo("welcome");
            seed.send("Hello Server!");
            JsonNode error = seed.next();
            assertThat(error.path("event").asText()).isEqualTo("error");
            assertThat(error.path("message").asText()).isNotEmpty();
            seed.send("Hello again!");
            assertThat(seed.next().path("event").asText()).isEqualTo("error");
            assertThat(seed.isOpen()).isTrue();
        }
    }

    @Test
    void subscriberWithTheTokenFollowsAJobSubmittedElsewhere() {
        Rest.Answer submitted = Rest.post(stack.producer() + "/api/jobs",
                "{\"type\":\"sleep\",\"payload\":{\"ms\":300},\"priority\":\"high\"}");
        String id = submitted.body().path("id").asText();
        try (TestSocket socket = TestSocket.connect(stack.gatewaySocket("/ws"))) {
            socket.next();
            socket.send("{\"op\":\"subscribe\",\"job\":\"" + id + "\",\"token\":\""
                    + submitted.body().path("token").asText() + "\"}");
            assertThat(socket.next().path("event").asText()).isEqualTo("subscribed");
            JsonNode done = socket.nextMatching(e -> "completed".equals(e.path("status").asText()));
            assertThat(done.path("result").path("slept").asInt()).isEqualTo(300);
        }
    }

    @Test
    void failingJobIsRetriedThenDeadWithItsError() {
        try (TestSocket socket = TestSocket.connect(stack.gatewaySocket("/ws"))) {
            String inbox = socket.next().path("inbox").asText();
            String id = Rest.post(stack.producer() + "/api/jobs", "{\"type\":\"fail\",\"maxAttempts\":2,\"replyTo\":\""
                    + inbox + "\"}").body().path("id").asText();
            JsonNode failed = socket.nextMatching(e -> "failed".equals(e.path("status").asText()));
            assertThat(failed.path("attempts").asInt()).isEqualTo(1);
            JsonNode dead = socket.nextMatching(e -> "dead".equals(e.path("status").asText()));
            assertThat(dead.path("attempts").asInt()).isEqualTo(2);
            assertThat(dead.path("error").asText()).contains("fail jobs always fail");
            assertThat(Rest.get(stack.producer() + "/api/jobs/" + id).body().path("status").asText()).isEqualTo("dead");
        }
    }

    @Test
    void batchOfHundredJobsAllComplete() {
        try (TestSocket socket = TestSocket.connect(stack.gatewaySocket("/ws"))) {
            String inbox = socket.next().path("inbox").asText();
            StringBuilder jobs = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                jobs.append(i == 0 ? "" : ",").append("{\"type\":\"echo\",\"payload\":").append(i)
                        .append(",\"replyTo\":\"").append(inbox).append("\"}");
            }
            Rest.Answer batch = Rest.post(stack.producer() + "/api/jobs/batch", "{\"jobs\":[" + jobs + "]}");
            assertThat(batch.status()).isEqualTo(202);
            assertThat(batch.body().path("jobs").size()).isEqualTo(100);

            Set<Integer> results = new HashSet<>();
            while (results.size() < 100) {
                JsonNode event = socket.nextMatching(e -> "completed".equals(e.path("status").asText()));
                assertThat(results.add(event.path("result").asInt())).as("no duplicate completion").isTrue();
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode normal = Rest.get(stack.producer() + "/api/queues").body().path("normal");
                assertThat(normal.path("waiting").asLong()).isZero();
                assertThat(normal.path("active").asLong()).isZero();
            });
        }
    }

    @Test
    void badJobGetsAProblemAndTheServicesStayHealthy() {
        Rest.Answer bad = Rest.post(stack.producer() + "/api/jobs", "{\"type\":\"teleport\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.body().path("errors").get(0).path("field").asText()).isEqualTo("type");
        for (ServiceProcess service : stack.services()) {
            assertThat(Rest.get(service.url() + "/q/health").body().path("status").asText()).as(service.url())
                    .isEqualTo("UP");
        }
    }
}
