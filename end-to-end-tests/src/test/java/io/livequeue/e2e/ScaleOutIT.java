package io.livequeue.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.livequeue.testing.TestSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Two consumers and two gateways on one Redis: each job runs once, and both gateways deliver each completion once. */
class ScaleOutIT {

    private static final int JOBS = 200;

    @Test
    void everyCompletionReachesTheOwnerOnOneGatewayAndTheWatcherOnTheOtherExactlyOnce() {
        try (LiveStack stack = LiveStack.start("scale-out", 2);
                ClaimRecorder claims = ClaimRecorder.start(stack.redis())) {
            ServiceProcess secondGateway = stack.startGateway();
            try (TestSocket a = TestSocket.connect(stack.gatewaySocket("/ws"));
                    TestSocket b = TestSocket.connect(secondGateway.ws("/ws"))) {
                String inbox = welcome(a);
                welcome(b);

                // A owns every job (replyTo = its inbox on gateway 1); B follows each one with its token on gateway 2
                Map<String, Integer> numberOf = new LinkedHashMap<>();
                for (int n = 0; n < JOBS; n++) {
                    numberOf.put(submitAndFollow(stack, inbox, b, "{\"n\":" + n + "}"), n);
                }
                Events onA = new Events();
                Events onB = new Events();
                onA.readUntil(a, () -> onA.completed.keySet().containsAll(numberOf.keySet()));
                onB.readUntil(b, () -> onB.completed.keySet().containsAll(numberOf.keySet()));

                // a job submitted after all others completed: a late duplicate would arrive before its completion
                String last = submitAndFollow(stack, inbox, b, "{\"n\":-1}");
                onA.readUntil(a, () -> onA.completed.containsKey(last));
                onB.readUntil(b, () -> onB.completed.containsKey(last));
                numberOf.put(last, -1);

                for (Events seen : List.of(onA, onB)) {
                    assertThat(seen.errors).as("error frames").isEmpty();
                    assertThat(seen.completed.keySet()).as("jobs completed").isEqualTo(numberOf.keySet());
                    seen.completed.forEach((id, events) -> {
                        assertThat(events).as("completed events of job %s", id).hasSize(1);
                        assertThat(events.get(0).path("result").path("n").asInt()).as("result of %s", id)
                                .isEqualTo(numberOf.get(id));
                        assertThat(events.get(0).path("attempts").asInt()).as("attempts of %s", id).isEqualTo(1);
                    });
                }
                assertThat(onB.subscribed).as("subscribed acks on B").isEqualTo(JOBS + 1);

                // which consumer ran each job, as Redis saw the claims
                Set<String> consumerIds = stack.consumers().stream().map(ScaleOutIT::consumerId)
                        .collect(Collectors.toSet());
                assertThat(consumerIds).as("distinct consumer ids").hasSize(2);
                Map<String, List<String>> claimed = claims.claimsByJob();
                Map<String, Long> jobsPerConsumer = new HashMap<>();
                numberOf.keySet().forEach(id -> {
                    assertThat(claimed.get(id)).as("claims of job %s", id).hasSize(1);
                    jobsPerConsumer.merge(claimed.get(id).get(0), 1L, Long::sum);
                });
                System.out.println("[scale-out] jobs run per consumer: " + jobsPerConsumer);
                assertThat(jobsPerConsumer.keySet()).as("consumers that ran jobs").isEqualTo(consumerIds);
                assertThat(jobsPerConsumer.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(JOBS + 1);
            }
        }
    }

    private static String welcome(TestSocket socket) {
        JsonNode welcome = socket.next();
        assertThat(welcome.path("event").asText()).isEqualTo("welcome");
        return welcome.path("inbox").asText();
    }

    /** Submits an echo job owned by {@code inbox} and subscribes {@code watcher} to it right after the 202. */
    private static String submitAndFollow(LiveStack stack, String inbox, TestSocket watcher, String payload) {
        Rest.Answer submitted = Rest.post(stack.producer() + "/api/jobs",
                "{\"type\":\"echo\",\"payload\":" + payload + ",\"replyTo\":\"" + inbox + "\"}");
        assertThat(submitted.status()).as(submitted.body().toString()).isEqualTo(202);
        String id = submitted.body().path("id").asText();
        watcher.send("{\"op\":\"subscribe\",\"job\":\"" + id + "\",\"token\":\""
                + submitted.body().path("token").asText() + "\"}");
        return id;
    }

    /** The consumer's own id, as its liveness check reports it and as it marks the jobs it claims. */
    private static String consumerId(ServiceProcess consumer) {
        JsonNode health = Rest.get(consumer.url() + "/q/health/live").body();
        for (JsonNode check : health.path("checks")) {
            if ("workers".equals(check.path("name").asText())) {
                return check.path("data").path("consumer").asText();
            }
        }
        throw new AssertionError("no workers check in " + health);
    }

    /** What one socket received: completed events per job, error frames and subscribe acknowledgements. */
    private static final class Events {
        final Map<String, List<JsonNode>> completed = new HashMap<>();
        final List<JsonNode> errors = new ArrayList<>();
        int subscribed;

        void readUntil(TestSocket socket, BooleanSupplier done) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("only " + completed.size() + " jobs completed within 30 s");
                }
                JsonNode frame = socket.next(Duration.ofNanos(left));
                switch (frame.path("event").asText()) {
                    case "job" -> {
                        if ("completed".equals(frame.path("status").asText())) {
                            completed.computeIfAbsent(frame.path("id").asText(), id -> new ArrayList<>()).add(frame);
                        }
                    }
                    case "subscribed" -> subscribed++;
                    case "error" -> errors.add(frame);
                    default -> {
                    }
                }
            }
        }
    }
}
