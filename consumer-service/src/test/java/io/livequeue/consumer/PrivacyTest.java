package io.livequeue.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livequeue.core.Job;
import io.livequeue.core.JobStatus;
import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A payload's personal data stays out of what others see: the sms job's result and log line show the number masked,
 * and an error quoting the payload is stored, published and logged (at DEBUG too, with its stack trace) without it.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class PrivacyTest {

    private static final String NUMBER = "+447700900123";
    private static final String DIGITS = "447700900123";
    private static final String TEXT = "Your code is 4711";
    private static final Logger LIVEQUEUE = Logger.getLogger("io.livequeue");

    /** Every line logged under io.livequeue, DEBUG included, as it would be printed (message and stack trace). */
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            StringWriter line = new StringWriter();
            line.append(new java.util.logging.SimpleFormatter().formatMessage(record));
            if (record.getThrown() != null) {
                record.getThrown().printStackTrace(new PrintWriter(line));
            }
            lines.add(line.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level level;

    @Inject
    JobFixture jobs;

    @Inject
    ObjectMapper mapper;

    @BeforeEach
    void capture() {
        level = LIVEQUEUE.getLevel();
        LIVEQUEUE.setLevel(Level.FINE); // DEBUG
        LIVEQUEUE.addHandler(capture);
    }

    @AfterEach
    void release() {
        LIVEQUEUE.removeHandler(capture);
        LIVEQUEUE.setLevel(level);
    }

    @Test
    void anSmsResultAndLogLineShowTheNumberMasked() throws Exception {
        String id = jobs.enqueue("sms", "{\"to\":\"" + NUMBER + "\",\"message\":\"" + TEXT + "\"}", 1);

        Job job = jobs.awaitFinal(id);

        assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(mapper.readTree(job.result()).get("to").asText()).isEqualTo("+44******0123");
        assertThat(job.result()).doesNotContain(DIGITS, TEXT);
        await().atMost(JobFixture.TIMEOUT).until(() -> lines.stream().anyMatch(l -> l.contains("+44******0123")));
        assertThat(lines).noneMatch(line -> line.contains(DIGITS) || line.contains(TEXT));
    }

    @Test
    void anErrorThatQuotesThePayloadIsStoredAndLoggedWithoutIt() {
        String id = jobs.enqueue("leaky", "{\"to\":\"" + NUMBER + "\",\"message\":\"" + TEXT + "\",\"n\":123456}", 2);

        Job job = jobs.awaitFinal(id);

        assertThat(job.status()).isEqualTo(JobStatus.DEAD);
        assertThat(job.error()).startsWith("IllegalStateException: no route to … for \"…\"")
                .doesNotContain(DIGITS, TEXT, "123456");
        assertThat(job.errors()).doesNotContain(DIGITS, TEXT, "123456");
        assertThat(lines).as("the failures, logged at DEBUG").anyMatch(line -> line.contains("attempt 2 failed")
                && line.contains("IllegalStateException: no route to …") && line.contains("at io.livequeue"));
        assertThat(lines).noneMatch(line -> line.contains(DIGITS) || line.contains(TEXT) || line.contains("123456"));
    }
}
