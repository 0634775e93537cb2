package io.livequeue.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.livequeue.core.EventMessage;
import io.livequeue.core.JobEvent;
import io.livequeue.core.JobStatus;
import org.junit.jupiter.api.Test;

/** A progress report is an active event with a top-level "progress" field, and nothing else is one. */
class ProgressReportsTest {

    private static final String ID = "default.0123456789abcdefghijkl";

    @Test
    void anActiveEventWithProgressIsAReport() {
        String event = JobEvent.json(ID, "sleep", "active", 1, null, null, "{\"percent\":40,\"data\":{\"a\":[1,2]}}",
                null, 5);
        assertThat(ProgressReports.isProgress(message(JobStatus.ACTIVE, event))).isTrue();
    }

    @Test
    void theStartOfAnAttemptIsNoReport() {
        String event = JobEvent.json(ID, "sleep", JobStatus.ACTIVE, 1, null, null, 2);
        assertThat(ProgressReports.isProgress(message(JobStatus.ACTIVE, event))).isFalse();
    }

    @Test
    void progressInsideAnotherFieldOrInAnotherStatusIsNoReport() {
        String nested = "{\"event\":\"job\",\"id\":\"" + ID + "\",\"type\":\"sleep\",\"status\":\"active\","
                + "\"attempts\":1,\"result\":{\"progress\":1},\"error\":\"\\\"progress\\\":\",\"v\":2}";
        assertThat(ProgressReports.isProgress(message(JobStatus.ACTIVE, nested))).isFalse();
        String completed = JobEvent.json(ID, "sleep", "completed", 1, null, null, "{\"percent\":100,\"data\":null}",
                null, 5);
        assertThat(ProgressReports.isProgress(message(JobStatus.COMPLETED, completed))).isFalse();
    }

    private static EventMessage message(JobStatus status, String event) {
        return new EventMessage(2, ID, status, null, event);
    }
}
