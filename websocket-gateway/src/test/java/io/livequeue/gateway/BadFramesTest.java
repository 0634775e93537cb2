package io.livequeue.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.livequeue.core.Ids;
import io.livequeue.core.JobTokens;
import io.livequeue.core.Priority;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.NewJob;
import io.livequeue.testing.RedisTestResource;
import io.livequeue.testing.TestSocket;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed, hostile and unauthorised client frames: each gets one error event and the connection stays open. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class BadFramesTest {

    /** A well-formed job id; the bad frames never need the job to exist. */
    private static final String JOB = "0b5e4a52-6d1f-4c77-9a3e-2f1c8d7e6a10";
    private static final String OTHER_JOB = "7c9d2e14-3b8a-4f60-8d21-9e5f0a4b3c72";
    /** Signs like the gateway, under a secret the gateway does not have. */
    private static final JobTokens FORGER = new JobTokens("not-the-gateway-secret", Optional.empty());
    /** quarkus.websockets-next.server.max-message-size; Vert.x's default frame limit is the same 64 KiB. */
    private static final int MAX_MESSAGE_SIZE = 65_536;
    /** Error messages are short sentences: none echoes a frame back at length. */
    private static final int MAX_MESSAGE_LENGTH = 200;

    private static final String BAD_FRAME = "frames are JSON objects such as";
    private static final String NO_OP = "the frame has no \"op\"";
    private static final String SUBSCRIBE_NEEDS_JOB = "subscribe needs \"job\"";
    private static final String FORBIDDEN = "the token does not grant access to job " + JOB;

    @TestHTTPResource("/")
    URI root;

    @Inject
    JobStore store;

    @Inject
    JobTokens tokens;

    /** How a bad frame is sent (it may need the gateway's signer), and the error it must get. */
    record BadFrame(BiConsumer<TestSocket, JobTokens> send, String code, String messageContains) {
    }

    static Stream<Arguments> badFrames() {
        String deepArrays = "[".repeat(5_000) + "]".repeat(5_000);
        String deepOp = "{\"op\":" + "{\"a\":".repeat(200) + "1" + "}".repeat(200) + "}";
        String longOp = "x".repeat(10 * 1024);
        return Stream.of(
                text("plain text (the seed's Hello Server!)", "Hello Server!", "bad-frame", BAD_FRAME),
                text("empty string", "", "bad-frame", BAD_FRAME),
                text("whitespace only", " \t\r\n ", "bad-frame", BAD_FRAME),
                text("JSON array", "[{\"op\":\"subscribe\"}]", "bad-frame", BAD_FRAME),
                text("JSON number", "42", "bad-frame", BAD_FRAME),
                text("JSON string", "\"subscribe\"", "bad-frame", BAD_FRAME),
                text("JSON null", "null", "bad-frame", BAD_FRAME),
                text("JSON true", "true", "bad-frame", BAD_FRAME),
                text("truncated JSON", "{\"op\":\"subscribe\",\"job\":\"" + JOB, "bad-frame", BAD_FRAME),
                text("object without op", "{\"job\":\"" + JOB + "\"}", "unknown-op", NO_OP),
                text("op is a number", "{\"op\":1,\"job\":\"" + JOB + "\"}", "unknown-op", "unknown op '1'"),
                text("op is an array", "{\"op\":[\"subscribe\"],\"job\":\"" + JOB + "\"}", "unknown-op", NO_OP),
                text("op is null", "{\"op\":null}", "unknown-op", NO_OP),
                text("unknown op", "{\"op\":\"dance\"}", "unknown-op", "unknown op 'dance'"),
                text("op in upper case", "{\"op\":\"SUBSCRIBE\",\"job\":\"" + JOB + "\"}", "unknown-op",
                        "unknown op 'SUBSCRIBE'"),
                text("op with a Cyrillic look-alike letter", "{\"op\":\"\u0455ubscribe\"}", "unknown-op",
                        "unknown op '\u0455ubscribe'"),
                text("10 KB op value", "{\"op\":\"" + longOp + "\"}", "unknown-op",
                        "unknown op '" + "x".repeat(40) + "\u2026'"),
                text("subscribe without job", "{\"op\":\"subscribe\",\"token\":\"abc\"}", "bad-request",
                        SUBSCRIBE_NEEDS_JOB),
                text("job is not a UUID", "{\"op\":\"subscribe\",\"job\":\"42\",\"token\":\"abc\"}", "bad-request",
                        SUBSCRIBE_NEEDS_JOB),
                text("job is a number", "{\"op\":\"subscribe\",\"job\":42,\"token\":\"abc\"}", "bad-request",
                        SUBSCRIBE_NEEDS_JOB),
                text("job is an upper-case UUID", subscribe(JOB.toUpperCase(), "abc"), "bad-request",
                        SUBSCRIBE_NEEDS_JOB),
                text("job is a UUID plus a newline", subscribe(JOB + "\\n", "abc"), "bad-request",
                        SUBSCRIBE_NEEDS_JOB),
                text("job smuggles a Redis command", subscribe("*\\r\\nFLUSHALL\\r\\n", "abc"), "bad-request",
                        SUBSCRIBE_NEEDS_JOB),
                text("job is a key pattern", subscribe("livequeue:job:*", "abc"), "bad-request", SUBSCRIBE_NEEDS_JOB),
                text("job breaks out of a JSON string", subscribe(JOB + "\\\",\\\"status\\\":\\\"completed", "abc"),
                        "bad-request", SUBSCRIBE_NEEDS_JOB),
                text("subscribe without token", "{\"op\":\"subscribe\",\"job\":\"" + JOB + "\"}", "forbidden",
                        FORBIDDEN),
                signed("token of another job", t -> subscribe(JOB, t.issue(OTHER_JOB)), "forbidden", FORBIDDEN),
                text("token forged under another secret", subscribe(JOB, FORGER.issue(JOB)), "forbidden", FORBIDDEN),
                signed("right token with one character changed", t -> subscribe(JOB, flipLastChar(t.issue(JOB))),
                        "forbidden", FORBIDDEN),
                text("token is a number", "{\"op\":\"subscribe\",\"job\":\"" + JOB + "\",\"token\":12345}", "forbidden",
                        FORBIDDEN),
                text("unsubscribe without job", "{\"op\":\"unsubscribe\"}", "bad-request", "unsubscribe needs \"job\""),
                text("deeply nested JSON (5000 arrays)", deepArrays, "bad-frame", BAD_FRAME),
                text("op is a 200-deep object", deepOp, "unknown-op", NO_OP),
                text("unicode garbage", "\u00ff\u2603\uD83D\uDCA5\u0000\u202E\u6f22\u5b57\uFFFD\u200B", "bad-frame",
                        BAD_FRAME),
                Arguments.of(Named.of("binary frame", new BadFrame((s, t) -> s.sendBinary(new byte[] {0x7b, 0x00, -1}),
                        "unsupported-frame", "binary frames are not supported"))));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("badFrames")
    void badFrameGetsOneErrorAndTheConnectionStaysOpen(BadFrame frame) {
        try (TestSocket socket = connect()) {
            assertThat(socket.next().path("event").asText()).isEqualTo("welcome");
            frame.send().accept(socket, tokens);
            JsonNode error = socket.next();
            assertThat(error.path("event").asText()).as(error.toString()).isEqualTo("error");
            assertThat(error.path("code").asText()).as(error.toString()).isEqualTo(frame.code());
            assertThat(error.path("message").asText()).isNotBlank().contains(frame.messageContains())
                    .hasSizeLessThanOrEqualTo(MAX_MESSAGE_LENGTH);
            assertStillServes(socket);
        }
    }

    @Test
    void messageOfExactlySixtyFourKibIsStillAnswered() {
        String atLimit = "{\"op\":\"" + "x".repeat(MAX_MESSAGE_SIZE - 9) + "\"}";
        assertThat(atLimit).hasSize(MAX_MESSAGE_SIZE);
        try (TestSocket socket = connect()) {
            assertThat(socket.next().path("event").asText()).isEqualTo("welcome");
            socket.send(atLimit);
            JsonNode error = socket.next();
            assertThat(error.path("event").asText()).isEqualTo("error");
            assertThat(error.path("code").asText()).isEqualTo("unknown-op");
            assertStillServes(socket);
        }
    }

    /**
     * The JDK client sends a long text message as 16 KiB fragments: Vert.x stops aggregating them at the 64 KiB limit
     * and drops the message; the gateway answers with an error event and the connection stays open.
     */
    @Test
    void messageOverSixtyFourKibInFragmentsGetsAnErrorAndTheConnectionStaysOpen() {
        String oversize = "{\"op\":\"" + "x".repeat(70_000) + "\"}";
        try (TestSocket abusive = connect()) {
            assertThat(abusive.next().path("event").asText()).isEqualTo("welcome");
            abusive.send(oversize);
            assertThat(abusive.next().path("code").asText()).isEqualTo("frame-too-large");
            assertStillServes(abusive);
            assertThat(abusive.closeCode()).isNotDone();
        }
        try (TestSocket fresh = connect()) {
            assertThat(fresh.next().path("event").asText()).isEqualTo("welcome");
        }
    }

    /**
     * Browsers usually send a message as one frame: over the 64 KiB frame limit, Netty's decoder rejects it and Vert.x
     * (which builds the decoder with closeOnProtocolViolation=false) closes the TCP connection without a close frame,
     * so the client sees 1006 (abnormal closure). Other connections are not affected.
     */
    @Test
    void singleFrameOverSixtyFourKibMakesTheServerDropTheConnectionWithoutACloseFrame() throws IOException {
        byte[] oversize = ("{\"op\":\"" + "x".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        try (TestSocket bystander = connect(); RawWebSocket abusive = RawWebSocket.open(root, "/ws")) {
            assertThat(bystander.next().path("event").asText()).isEqualTo("welcome");
            assertThat(abusive.readFrame()).startsWith("text {\"event\":\"welcome\"");
            abusive.writeFrame(RawWebSocket.TEXT, oversize);
            assertThat(abusive.readFrame()).isEqualTo(RawWebSocket.EOF);
            assertStillServes(bystander);
        }
        try (TestSocket fresh = connect()) {
            assertThat(fresh.next().path("event").asText()).isEqualTo("welcome");
            assertStillServes(fresh);
        }
    }

    @Test
    void afterEveryBadFrameOfTheTableOnOneConnectionAValidSubscribeStillWorks() {
        String id = enqueue();
        List<BadFrame> all = badFrames().map(a -> (BadFrame) ((Named<?>) a.get()[0]).getPayload()).toList();
        assertThat(all).hasSize(35);
        try (TestSocket socket = connect()) {
            assertThat(socket.next().path("event").asText()).isEqualTo("welcome");
            for (BadFrame frame : all) {
                frame.send().accept(socket, tokens);
                JsonNode error = socket.next();
                assertThat(error.path("event").asText()).as(error.toString()).isEqualTo("error");
                assertThat(error.path("code").asText()).isEqualTo(frame.code());
            }
            socket.send(subscribe(id, tokens.issue(id)));
            JsonNode subscribed = socket.next();
            assertThat(subscribed.path("event").asText()).isEqualTo("subscribed");
            assertThat(subscribed.path("job").asText()).isEqualTo(id);
            JsonNode job = socket.next();
            assertThat(job.path("event").asText()).as(job.toString()).isEqualTo("job");
            assertThat(job.path("id").asText()).isEqualTo(id);
            assertThat(job.path("type").asText()).isEqualTo("echo");
            assertThat(job.path("status").asText()).isEqualTo("queued");
            assertThat(job.path("attempts").asInt()).isZero();
            assertThat(socket.isOpen()).isTrue();
        }
    }

    /** A valid unsubscribe is answered, and nothing else was sent in between. */
    private static void assertStillServes(TestSocket socket) {
        assertThat(socket.isOpen()).isTrue();
        socket.send("{\"op\":\"unsubscribe\",\"job\":\"" + JOB + "\"}");
        JsonNode answer = socket.next();
        assertThat(answer.path("event").asText()).as(answer.toString()).isEqualTo("unsubscribed");
        assertThat(answer.path("job").asText()).isEqualTo(JOB);
        assertThat(socket.isOpen()).isTrue();
    }

    private TestSocket connect() {
        return TestSocket.connect("ws://" + root.getHost() + ":" + root.getPort() + "/ws");
    }

    private String enqueue() {
        NewJob job = new NewJob(Ids.newJobId(), "echo", Priority.HIGH, 3, "{\"n\":1}", null);
        store.enqueue("default", List.of(job), 0).await().atMost(Duration.ofSeconds(5));
        return job.id();
    }

    private static Arguments text(String name, String frame, String code, String messageContains) {
        return Arguments.of(Named.of(name, new BadFrame((s, t) -> s.send(frame), code, messageContains)));
    }

    private static Arguments signed(String name, Function<JobTokens, String> frame, String code,
            String messageContains) {
        return Arguments.of(Named.of(name, new BadFrame((s, t) -> s.send(frame.apply(t)), code, messageContains)));
    }

    private static String subscribe(String id, String token) {
        return "{\"op\":\"subscribe\",\"job\":\"" + id + "\",\"token\":\"" + token + "\"}";
    }

    private static String flipLastChar(String token) {
        char last = token.charAt(token.length() - 1);
        return token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
    }
}
