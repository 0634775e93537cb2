package io.livequeue.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livequeue.core.Job;
import io.livequeue.core.JobStatus;
import io.livequeue.consumer.sms.RecordingSmsProvider;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sms handler with the recording provider: valid messages land in the outbox, bad input dies at once. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class SmsJobTest {

    @Inject
    JobFixture jobs;

    @Inject
    JobStore store;

    @Inject
    Redis redis;

    @Inject
    ObjectMapper mapper;

    @Test
    void smsToAValidNumberCompletesWithTheNumberMaskedAndIsRecordedInTheOutbox() throws Exception {
        String id = jobs.enqueue("sms", "{\"to\":\"+4915112345678\",\"message\":\"Your code is 4711\"}", 3);

        Job job = jobs.awaitFinal(id);

        assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
        JsonNode result = mapper.readTree(job.result());
        assertThat(result.get("provider").asText()).isEqualTo("recording");
        assertThat(result.get("to").asText()).as("the number, masked").isEqualTo("+49*******5678");
        assertThat(job.result()).doesNotContain("4915112345678", "Your code");
        assertThat(result.get("length").asInt()).isEqualTo(17);
        String messageId = result.get("messageId").asText();
        assertThat(outbox()).as("what the provider got: all of it").anySatisfy(entry -> {
            assertThat(entry.get("id").asText()).isEqualTo(messageId);
            assertThat(entry.get("to").asText()).isEqualTo("+4915112345678");
            assertThat(entry.get("message").asText()).isEqualTo("Your code is 4711");
        });
    }

    @Test
    void smsToAnInvalidNumberEndsDeadAfterOneAttemptAndSendsNothing() throws Exception {
        String id = jobs.enqueue("sms", "{\"to\":\"015112345678\",\"message\":\"hello\"}", 3);

        Job job = jobs.awaitFinal(id);

        assertThat(job.status()).isEqualTo(JobStatus.DEAD);
        assertThat(job.attempts()).isEqualTo(1);
        assertThat(job.error()).isEqualTo("sms needs \"to\": a phone number in E.164 form, like +4915112345678");
        assertThat(outbox()).noneSatisfy(entry -> assertThat(entry.get("to").asText()).isEqualTo("015112345678"));
    }

    @Test
    void smsWithoutMessageEndsDeadAfterOneAttempt() {
        String id = jobs.enqueue("sms", "{\"to\":\"+4915112345678\",\"message\":\"  \"}", 3);

        Job job = jobs.awaitFinal(id);

        assertThat(job.status()).isEqualTo(JobStatus.DEAD);
        assertThat(job.attempts()).isEqualTo(1);
        assertThat(job.error()).isEqualTo("sms needs \"message\": text of 1 to 1600 characters");
    }

    private List<JsonNode> outbox() throws Exception {
        Response entries = redis.send(Request.cmd(Command.LRANGE).arg(RecordingSmsProvider.outboxKey("livequeue")).arg(0).arg(-1))
                .await().atMost(JobFixture.TIMEOUT);
        List<JsonNode> parsed = new ArrayList<>();
        for (Response entry : entries) {
            parsed.add(mapper.readTree(entry.toString()));
        }
        return parsed;
    }
}
