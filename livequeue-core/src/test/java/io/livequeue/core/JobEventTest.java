package io.livequeue.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The client event JSON: field order ({@code v} last), the raw result embedded as JSON, nulls and escaping. */
class JobEventTest {

    private static final String ID = "0b6a3a9e-1f0c-4c55-9f59-2d7c3f1e8a10";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void completedEventEmbedsTheRawResultAsJson() throws Exception {
        String json = JobEvent.json(ID, "echo", JobStatus.COMPLETED, 1, "{\"a\":[1,2],\"b\":\"x\"}", null);

        assertThat(json).isEqualTo("{\"event\":\"job\",\"id\":\"" + ID + "\",\"type\":\"echo\",\"status\":\"completed\","
                + "\"attempts\":1,\"result\":{\"a\":[1,2],\"b\":\"x\"},\"error\":null}");
        JsonNode tree = MAPPER.readTree(json);
        assertThat(tree.get("result").isObject()).isTrue();
        assertThat(tree.get("result").get("a").get(1).asInt()).isEqualTo(2);
    }

    @Test
    void scalarResultIsEmbeddedUnquoted() throws Exception {
        String json = JobEvent.json(ID, "sleep", JobStatus.COMPLETED, 2, "42", null);

        assertThat(MAPPER.readTree(json).get("result").isInt()).isTrue();
        assertThat(json).contains("\"attempts\":2,\"result\":42,\"error\":null");
    }

    @Test
    void missingResultAndErrorAreJsonNulls() throws Exception {
        String json = JobEvent.json(ID, "echo", JobStatus.ACTIVE, 1, null, null);

        assertThat(json).isEqualTo("{\"event\":\"job\",\"id\":\"" + ID + "\",\"type\":\"echo\",\"status\":\"active\","
                + "\"attempts\":1,\"result\":null,\"error\":null}");
        JsonNode tree = MAPPER.readTree(json);
        assertThat(tree.get("result").isNull()).isTrue();
        assertThat(tree.get("error").isNull()).isTrue();
    }

    @Test
    void emptyResultIsWrittenAsNull() {
        String json = JobEvent.json(ID, "echo", JobStatus.COMPLETED, 1, "", null);

        assertThat(json).contains("\"result\":null");
    }

    @Test
    void deadEventCarriesTheErrorEscaped() throws Exception {
        String error = "bad \"input\"\nline 2";
        String json = JobEvent.json(ID, "sms", JobStatus.DEAD, 3, null, error);

        JsonNode tree = MAPPER.readTree(json);
        assertThat(tree.get("status").asText()).isEqualTo("dead");
        assertThat(tree.get("attempts").asInt()).isEqualTo(3);
        assertThat(tree.get("result").isNull()).isTrue();
        assertThat(tree.get("error").asText()).isEqualTo(error);
        assertThat(json).contains("\"error\":\"bad \\\"input\\\"\\nline 2\"");
    }

    @Test
    void jobEventJsonIsTheEventOfItsCurrentState() {
        Job job = new Job(ID, "echo", JobStatus.COMPLETED, Priority.HIGH, 1, 3, "{\"x\":1}", "{\"x\":1}", null,
                null, null, 1L, 2L, 3L, 3, "anonymous");

        assertThat(job.eventJson()).isEqualTo("{\"event\":\"job\",\"id\":\"" + ID + "\",\"type\":\"echo\","
                + "\"status\":\"completed\",\"attempts\":1,\"result\":{\"x\":1},\"error\":null,\"v\":3}");
    }

    /**
     * A job hash a newer release wrote, in a status this version does not know, is read (the gateway's snapshot and
     * catch-up, the REST answer, the dashboard's lists): the status UNKNOWN, its stored name kept and shown.
     */
    @Test
    void aStoredStatusOfANewerReleaseIsReadAsUnknownAndShownAsStored() {
        for (String stored : List.of("archived", "superseded")) {
            Job job = Job.fromHash(Map.of(Job.ID, ID, Job.TYPE, "echo", Job.STATUS, stored, Job.PRIORITY, "normal",
                    Job.ATTEMPTS, "0", Job.MAX_ATTEMPTS, "3", Job.CREATED_AT, "1764100000001", Job.VERSION, "2",
                    "archivedAt", "1764100009000"));

            assertThat(job.status()).isEqualTo(JobStatus.UNKNOWN);
            assertThat(job.statusName()).isEqualTo(stored);
            assertThat(job.version()).isEqualTo(2);
            assertThat(job.eventJson()).isEqualTo("{\"event\":\"job\",\"id\":\"" + ID + "\",\"type\":\"echo\","
                    + "\"status\":\"" + stored + "\",\"attempts\":0,\"result\":null,\"error\":null,\"v\":2}");
        }
        assertThat(Job.fromHash(Map.of(Job.ID, ID, Job.STATUS, "dead")).statusName()).isEqualTo("dead");
    }

    @Test
    void versionIsAppendedAfterEveryOtherField() throws Exception {
        String json = JobEvent.json(ID, "echo", JobStatus.ACTIVE, 1, null, null, 12);

        assertThat(json).isEqualTo("{\"event\":\"job\",\"id\":\"" + ID + "\",\"type\":\"echo\",\"status\":\"active\","
                + "\"attempts\":1,\"result\":null,\"error\":null,\"v\":12}");
        assertThat(MAPPER.readTree(json).get("v").asLong()).isEqualTo(12);
    }
}
