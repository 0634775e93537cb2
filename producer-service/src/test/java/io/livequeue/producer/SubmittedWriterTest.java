package io.livequeue.producer;

import static io.livequeue.producer.Api.submit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livequeue.producer.job.JobViews;
import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The submit's 202 answer is written by hand (SubmittedWriter): it must be exactly the JSON the application's Jackson
 * writes for the same view, field for field, with and without the optional times, and it is what a real submit gets.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class SubmittedWriterTest {

    @Inject
    ObjectMapper mapper;

    @Test
    void theHandWrittenAnswerIsJacksonsAnswer() throws Exception {
        Instant created = Instant.parse("2026-11-30T05:00:00.123Z");
        for (JobViews.Submitted view : new JobViews.Submitted[] {
                new JobViews.Submitted("sms~0b7c", "echo", "queued", "normal", "tok_-x", created, "sms"),
                new JobViews.Submitted("a\"b\\c\u0001", "echo", "scheduled", "high", "t", Instant.EPOCH, "default",
                        Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2026-12-02T00:00:00.5Z")),
                new JobViews.Submitted("id", "echo", "queued", "low", null, created, "q", null,
                        Instant.parse("2027-01-01T00:00:00Z"))}) {
            String hand = (String) writerJson(view);
            assertThat(mapper.readTree(hand)).isEqualTo(mapper.readTree(mapper.writeValueAsString(view)));
            assertThat(hand).isEqualTo(mapper.writeValueAsString(view)); // same order and form, byte for byte
        }
    }

    @Test
    void aRealSubmitIsAnsweredByIt() throws Exception {
        String body = submit("{\"type\":\"echo\",\"delay\":5000}").then().statusCode(202).extract().asString();
        JsonNode answer = mapper.readTree(body);
        JobViews.Submitted view = mapper.treeToValue(answer, JobViews.Submitted.class);
        assertThat(body).isEqualTo(writerJson(view));
    }

    private static Object writerJson(JobViews.Submitted view) throws Exception {
        var json = Class.forName("io.livequeue.producer.job.SubmittedWriter").getDeclaredMethod("json",
                JobViews.Submitted.class);
        json.setAccessible(true);
        return json.invoke(null, view);
    }
}
