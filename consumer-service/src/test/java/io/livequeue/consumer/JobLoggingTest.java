package io.livequeue.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.livequeue.core.JobStatus;
import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a handler logs while it runs a job carries that job's id, so an operator can grep one job's story. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class JobLoggingTest {

    private static final Logger SMS_LOG = Logger.getLogger("io.livequeue.consumer.sms");

    private final List<ExtLogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            ExtLogRecord ext = ExtLogRecord.wrap(record);
            ext.copyAll(); // the MDC is the logging thread's: keep it for the test thread
            records.add(ext);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @Inject
    JobFixture jobs;

    @BeforeEach
    void capture() {
        SMS_LOG.addHandler(capture);
    }

    @AfterEach
    void release() {
        SMS_LOG.removeHandler(capture);
    }

    @Test
    void aHandlersLogLineCarriesTheJobId() {
        String id = jobs.enqueue("sms", "{\"to\":\"+4915112345678\",\"message\":\"hi\"}", 1);

        assertThat(jobs.awaitFinal(id).status()).isEqualTo(JobStatus.COMPLETED);
        await().atMost(JobFixture.TIMEOUT).until(() -> records.stream().anyMatch(r -> id.equals(r.getMdc("jobId"))));
        assertThat(records).filteredOn(r -> id.equals(r.getMdc("jobId")))
                .anySatisfy(r -> assertThat(r.getFormattedMessage()).contains("recorded"));
    }
}
