package io.livequeue.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The parser-free reading of envelopes: the same result as Jackson on the scripts' shape, and no guess otherwise.
 * Every expectation comes from Jackson reading the same text (or from literals), never from {@link EventMessage#parse},
 * which itself reads with the scan and so could not see a scan bug.
 */
class EnvelopeScanTest {

    private static final ObjectMapper JACKSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final String ID = "0b6a3a9e-1f0c-4c55-9f59-2d7c3f1e8a10";
    private static final String INBOX = "AAAAAAAAAAAAAAAAAAAAAA-inbox_1";
    private static final String TRICKY_EVENT = "{\"event\":\"job\",\"result\":{\"text\":\"}{ \\\"quoted\\\" ] [ \\\\\","
            + "\"list\":[1,{\"x\":[]}]},\"error\":null}";

    /** An envelope as {@code prelude.lua} writes it; every time differs from the others and from the version. */
    private static String scripted(long v, String status, String replyTo, String event) {
        return "{\"v\":" + v + ",\"id\":\"" + ID + "\",\"status\":\"" + status + "\",\"replyTo\":"
                + (replyTo == null ? "null" : "\"" + replyTo + "\"")
                + ",\"createdAt\":1764100000001,\"startedAt\":1764100000002,\"finishedAt\":1764100000003,\"event\":"
                + event + "}";
    }

    /**
     * Scans the text and checks each envelope it gives, field by field, against Jackson's reading of the same text:
     * the version, id, status, inbox, the three times (0 where the envelope has none) and the event, which must be
     * cut out exactly (Jackson reads it as the same tree, and it is the very text Jackson writes for that tree).
     */
    private static List<EventMessage> scanAgreeingWithJackson(String text) throws Exception {
        List<EventMessage> scanned = EnvelopeScan.all(text);
        JsonNode tree = JACKSON.readTree(text);
        List<JsonNode> envelopes = new ArrayList<>();
        if (tree.isArray()) {
            tree.forEach(envelopes::add);
        } else {
            envelopes.add(tree);
        }

        assertThat(scanned).as("scan of %s", text).isNotNull().hasSameSizeAs(envelopes);
        for (int i = 0; i < envelopes.size(); i++) {
            JsonNode expected = envelopes.get(i);
            EventMessage actual = scanned.get(i);
            String where = "envelope " + i + " of " + text;
            assertThat(actual.version()).as("v, " + where).isEqualTo(expected.get("v").longValue());
            assertThat(actual.jobId()).as("id, " + where).isEqualTo(expected.get("id").textValue());
            String status = expected.get("status").textValue();
            assertThat(actual.status()).as("status, " + where).isEqualTo(JobStatus.fromWireName(status));
            if (actual.status() != JobStatus.UNKNOWN) {
                assertThat(actual.status().wireName()).as("status, " + where).isEqualTo(status);
            }
            assertThat(actual.replyTo()).as("replyTo, " + where).isEqualTo(expected.get("replyTo").textValue());
            assertThat(actual.createdAt()).as("createdAt, " + where).isEqualTo(expected.path("createdAt").asLong(0));
            assertThat(actual.startedAt()).as("startedAt, " + where).isEqualTo(expected.path("startedAt").asLong(0));
            assertThat(actual.finishedAt()).as("finishedAt, " + where).isEqualTo(expected.path("finishedAt").asLong(0));
            assertThat(JACKSON.readTree(actual.eventJson())).as("event, " + where).isEqualTo(expected.get("event"));
            assertThat(actual.eventJson()).as("event text, " + where)
                    .isEqualTo(JACKSON.writeValueAsString(expected.get("event")));
        }
        return scanned;
    }

    @Test
    void readsAnEnvelopeAsPreludeLuaWritesItWithTheEventCutOutExactly() throws Exception {
        List<EventMessage> read = scanAgreeingWithJackson(scripted(3, "completed", INBOX, TRICKY_EVENT));

        assertThat(read).containsExactly(new EventMessage(3, ID, JobStatus.COMPLETED, INBOX, 1764100000001L,
                1764100000002L, 1764100000003L, TRICKY_EVENT));
    }

    @Test
    void agreesWithJacksonOnEveryStatusWithAndWithoutInboxAndTimes() throws Exception {
        for (JobStatus status : JobStatus.values()) {
            scanAgreeingWithJackson(scripted(0, status.wireName(), INBOX, "{}"));
            scanAgreeingWithJackson(scripted(123456789012L, status.wireName(), null, TRICKY_EVENT));
            scanAgreeingWithJackson(EventMessage.format(7, ID, status, INBOX, "{\"a\":[{}]}"));
            scanAgreeingWithJackson(EventMessage.format(8, ID, status, null, "{}"));
        }
    }

    @Test
    void readsTheShapeJavaFormatsWithoutTimes() throws Exception {
        String text = EventMessage.format(2, ID, JobStatus.ACTIVE, null, "{}");

        assertThat(scanAgreeingWithJackson(text)).containsExactly(new EventMessage(2, ID, JobStatus.ACTIVE, null, "{}"));
    }

    @Test
    void readsAnArrayInOrderAndAgreesWithJacksonOnEveryElement() throws Exception {
        String first = scripted(1, "queued", INBOX, "{\"a\":\"]\"}");
        String second = scripted(2, "active", null, TRICKY_EVENT);
        String third = EventMessage.format(3, ID, JobStatus.DEAD, INBOX, "{\"error\":\"x\\\"}\"}");

        List<EventMessage> read = scanAgreeingWithJackson("[" + first + "," + second + "," + third + "]");

        assertThat(read).extracting(EventMessage::version).containsExactly(1L, 2L, 3L);
    }

    @Test
    void declinesOtherShapesWhichTheParserStillReads() {
        String reordered = "{\"id\":\"" + ID + "\",\"v\":1,\"status\":\"queued\",\"replyTo\":null,\"event\":{}}";
        String spaced = "{\"v\": 1,\"id\":\"" + ID + "\",\"status\":\"queued\",\"replyTo\":null,\"event\":{}}";
        String escapedInbox = EventMessage.format(1, ID, JobStatus.QUEUED, "in\\u0062ox", "{}");

        for (String text : List.of(reordered, spaced, escapedInbox)) {
            assertThat(EnvelopeScan.all(text)).as(text).isNull();
            assertThat(EventMessage.parseAll(text)).as(text).hasSize(1);
        }
        assertThat(EventMessage.parse(escapedInbox).replyTo()).isEqualTo("inbox");
    }

    /**
     * A status of a newer release is read in the scripts' shape like any other (no detour through Jackson), as
     * UNKNOWN; so is one that merely starts like a known one.
     */
    @Test
    void readsAStatusItDoesNotKnowAsUnknownBesideKnownOnes() throws Exception {
        String archived = scripted(2, "archived", INBOX, TRICKY_EVENT);
        String lookalike = scripted(3, "completedly", null, "{}");
        String empty = scripted(4, "", null, "{}");
        String known = scripted(5, "completed", null, "{}");

        List<EventMessage> read = scanAgreeingWithJackson("[" + archived + "," + lookalike + "," + empty + "," + known
                + "]");

        assertThat(read).extracting(EventMessage::status).containsExactly(JobStatus.UNKNOWN, JobStatus.UNKNOWN,
                JobStatus.UNKNOWN, JobStatus.COMPLETED);
        assertThat(read.get(0).eventJson()).isEqualTo(TRICKY_EVENT);
        assertThat(EnvelopeScan.all(scripted(1, "sche\\u0064uled", null, "{}"))).as("escapes: Jackson's").isNull();
    }

    @Test
    void declinesTruncatedOrTrailingText() {
        String full = scripted(1, "completed", null, TRICKY_EVENT);

        assertThat(EnvelopeScan.all(full.substring(0, full.length() - 1))).isNull();
        assertThat(EnvelopeScan.all(full.substring(0, full.length() - 5))).isNull();
        assertThat(EnvelopeScan.all(full + "x")).isNull();
        assertThat(EnvelopeScan.all("[" + full)).isNull();
        assertThat(EnvelopeScan.all("[" + full + ",]")).isNull();
        assertThat(EnvelopeScan.all("[]")).isNull();
        assertThat(EnvelopeScan.all("")).isNull();
    }
}
