package io.livequeue.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.livequeue.core.EventMessage;
import io.livequeue.core.Ids;
import io.livequeue.core.JobEvent;
import io.livequeue.core.JobStatus;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The events a job publishes on its way through a worker, as a gateway receives them. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class WorkerEventsTest {

    @Inject
    JobFixture jobs;

    @Inject
    JobStore store;

    @Inject
    Redis redis;

    private RedisConnection subscriber;
    private final List<EventMessage> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void subscribe() {
        List<String> confirmed = new CopyOnWriteArrayList<>();
        subscriber = redis.connect().await().atMost(JobFixture.TIMEOUT);
        subscriber.handler(push -> {
            String kind = push.get(0).toString();
            if ("message".equals(kind)) {
                events.addAll(EventMessage.parseAll(push.get(2).toString()));
            } else if ("subscribe".equals(kind)) {
                confirmed.add(push.get(1).toString());
            }
        });
        subscriber.send(Request.cmd(Command.SUBSCRIBE).arg(store.keyspace().queue("default").events())).await().atMost(JobFixture.TIMEOUT);
        await().atMost(JobFixture.TIMEOUT).until(() -> confirmed.contains(store.keyspace().queue("default").events()));
    }

    @AfterEach
    void unsubscribe() {
        subscriber.close().await().atMost(JobFixture.TIMEOUT);
    }

    @Test
    void echoJobPublishesQueuedActiveAndCompletedInVersionOrder() {
        String inbox = Ids.newInboxId();
        String id = jobs.enqueue("echo", "{\"x\":1}", 3, inbox);

        List<EventMessage> mine = await().atMost(JobFixture.TIMEOUT)
                .until(() -> events.stream().filter(e -> e.jobId().equals(id)).toList(),
                        list -> list.stream().anyMatch(e -> e.status().isFinal()));

        assertThat(mine).extracting(EventMessage::status)
                .containsExactly(JobStatus.QUEUED, JobStatus.ACTIVE, JobStatus.COMPLETED);
        assertThat(mine).extracting(EventMessage::version).containsExactly(1L, 2L, 3L);
        assertThat(mine).allSatisfy(e -> assertThat(e.replyTo()).isEqualTo(inbox));
        assertThat(mine.get(2).eventJson())
                .isEqualTo(JobEvent.json(id, "echo", JobStatus.COMPLETED, 1, "{\"x\":1}", null, 3));
    }

    @Test
    void failJobPublishesEveryAttemptAndEndsWithADeadEvent() {
        String id = jobs.enqueue("fail", null, 2, Ids.newInboxId());

        List<EventMessage> mine = await().atMost(JobFixture.TIMEOUT)
                .until(() -> events.stream().filter(e -> e.jobId().equals(id)).toList(),
                        list -> list.stream().anyMatch(e -> e.status().isFinal()));

        assertThat(mine).extracting(EventMessage::status).containsExactly(JobStatus.QUEUED, JobStatus.ACTIVE,
                JobStatus.FAILED, JobStatus.ACTIVE, JobStatus.DEAD);
        assertThat(mine.get(4).eventJson()).isEqualTo(JobEvent.json(id, "fail", JobStatus.DEAD, 2, null,
                "IllegalStateException: fail jobs always fail (attempt 2 of 2)", 5));
    }
}
