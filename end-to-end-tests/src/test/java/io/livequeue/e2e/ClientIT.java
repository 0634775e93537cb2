package io.livequeue.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.livequeue.client.FieldError;
import io.livequeue.client.GatewayError;
import io.livequeue.client.InvalidRequestException;
import io.livequeue.client.JobListener;
import io.livequeue.client.JobNotFoundException;
import io.livequeue.client.JobRequest;
import io.livequeue.client.JobStatus;
import io.livequeue.client.JobUpdate;
import io.livequeue.client.JobWatcher;
import io.livequeue.client.LiveQueueClient;
import io.livequeue.client.Priority;
import io.livequeue.client.SubmittedJob;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Java client against the real services: the API's answers and errors as typed values, the watcher's inbox. */
@ExtendWith(LiveStack.class)
class ClientIT {

    private final LiveStack stack = LiveStack.get();
    private final List<JobUpdate> updates = new CopyOnWriteArrayList<>();
    private final List<GatewayError> errors = new CopyOnWriteArrayList<>();
    private LiveQueueClient client;

    @BeforeEach
    void connect() {
        client = LiveQueueClient.builder().producer(stack.producer()).gateways(stack.gatewaySocket("/ws")).build();
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void jobSubmittedWithAWatcherAttachedReachesItsInboxWithEveryVersion() {
        JobWatcher watcher = client.watch(new JobListener() {
            @Override
            public void onUpdate(JobUpdate update) {
                updates.add(update);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(watcher::isConnected);

        SubmittedJob job = client.submit(JobRequest.of("echo").withPayload(Map.of("hello", "world"))
                .withPriority(Priority.HIGH).withMaxAttempts(2));

        assertThat(job.priority()).isEqualTo(Priority.HIGH);
        await().atMost(Duration.ofSeconds(15)).until(() -> updates.stream().anyMatch(JobUpdate::isFinal));
        // the queued event reaches only the inbox (a job without replyTo publishes none): it came by replyTo
        assertThat(updates).extracting(JobUpdate::status)
                .containsExactly(JobStatus.QUEUED, JobStatus.ACTIVE, JobStatus.COMPLETED);
        assertThat(updates).extracting(JobUpdate::version).containsExactly(1L, 2L, 3L);
        assertThat(updates.get(2).result().path("hello").asText()).isEqualTo("world");
        assertThat(updates).allSatisfy(u -> assertThat(u.id()).isEqualTo(job.id()));
        assertThat(watcher.followedJobs()).isZero();
    }

    @Test
    void followingWithAWrongTokenIsRefusedAndTheJobDropped() {
        SubmittedJob job = client.submit(JobRequest.of("sleep").withPayload(Map.of("ms", 10)));
        JobWatcher watcher = client.watch(new JobListener() {
            @Override
            public void onUpdate(JobUpdate update) {
                updates.add(update);
            }

            @Override
            public void onError(GatewayError error) {
                errors.add(error);
            }
        });

        watcher.follow(job.id(), "not-the-token");

        await().atMost(Duration.ofSeconds(10)).until(() -> !errors.isEmpty());
        assertThat(errors.get(0).code()).isEqualTo("forbidden");
        assertThat(errors.get(0).jobId()).isEqualTo(job.id());
        assertThat(watcher.followedJobs()).isZero();
        assertThat(updates).isEmpty();
    }

    @Test
    void invalidSubmitIsAnInvalidRequestWithEveryFieldError() {
        assertThatThrownBy(() -> client.submit(JobRequest.of("teleport").withMaxAttempts(99)))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.type()).isEqualTo("urn:livequeue:problem:invalid-job");
                    assertThat(e.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("type",
                            "maxAttempts");
                });
    }

    @Test
    void unknownJobIsNotFound() {
        assertThatThrownBy(() -> client.status(UUID.randomUUID().toString()))
                .isInstanceOfSatisfying(JobNotFoundException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.type()).isEqualTo("urn:livequeue:problem:job-not-found");
                });
    }
}
