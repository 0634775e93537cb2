package io.livequeue.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The parser-free reading of envelopes: the same result as Jackson on the scripts' shape, and no guess otherwise. */
class EnvelopeScanTest {

    private static final String ID = "0b6a3a9e-1f0c-4c55-9f59-2d7c3f1e8a10";
    private static final String INBOX = "AAAAAAAAAAAAAAAAAAAAAA-inbox_1";
    private static final String TRICKY_EVENT = "{\"event\":\"job\",\"result\":{\"text\":\"}{ \\\"quoted\\\" ] [ \\\\\","
            + "\"list\":[1,{\"x\":[]}]},\"error\":null}";

    private static String scripted(long v, String status, String replyTo, String event) {
        return "{\"v\":" + v + ",\"id\":\"" + ID + "\",\"status\":\"" + status + "\",\"replyTo\":"
                + (replyTo == null ? "null" : "\"" + replyTo + "\"")
                + ",\"createdAt\":1764100000001,\"startedAt\":1764100000002,\"finishedAt\":0,\"event\":" + event + "}";
    }

    @Test
    void readsAnEnvelopeAsPreludeLuaWritesItWithTheEventCutOutExactly() {
        List<EventMessage> read = EnvelopeScan.all(scripted(3, "completed", INBOX, TRICKY_EVENT));

        assertThat(read).containsExactly(new EventMessage(3, ID, JobStatus.COMPLETED, INBOX, 1764100000001L,
                1764100000002L, 0, TRICKY_EVENT));
    }

    @Test
    void readsTheShapeJavaFormatsWithoutTimes() {
        String text = EventMessage.format(2, ID, JobStatus.ACTIVE, null, "{}");

        assertThat(EnvelopeScan.all(text)).containsExactly(new EventMessage(2, ID, JobStatus.ACTIVE, null, "{}"));
    }

    @Test
    void readsAnArrayInOrderAndAgreesWithTheParserOnEveryElement() {
        String first = scripted(1, "queued", INBOX, "{\"a\":\"]\"}");
        String second = scripted(2, "active", null, TRICKY_EVENT);
        String third = EventMessage.format(3, ID, JobStatus.DEAD, INBOX, "{\"error\":\"x\\\"}\"}");

        List<EventMessage> read = EnvelopeScan.all("[" + first + "," + second + "," + third + "]");

        assertThat(read).containsExactly(EventMessage.parse(first), EventMessage.parse(second),
                EventMessage.parse(third));
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

    @Test
    void declinesTruncatedOrTrailingTextAndUnknownStatuses() {
        String full = scripted(1, "completed", null, TRICKY_EVENT);

        assertThat(EnvelopeScan.all(full.substring(0, full.length() - 1))).isNull();
        assertThat(EnvelopeScan.all(full.substring(0, full.length() - 5))).isNull();
        assertThat(EnvelopeScan.all(full + "x")).isNull();
        assertThat(EnvelopeScan.all("[" + full)).isNull();
        assertThat(EnvelopeScan.all("[" + full + ",]")).isNull();
        assertThat(EnvelopeScan.all("[]")).isNull();
        assertThat(EnvelopeScan.all(scripted(1, "sleeping", null, "{}"))).isNull();
        assertThat(EnvelopeScan.all("")).isNull();
    }
}
