package io.livequeue.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.livequeue.client.RecordingHttpServer.Answer;
import io.livequeue.client.RecordingHttpServer.Received;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST side of the client against a real local HTTP server: what it sends, what it reads, when it retries. */
class LiveQueueClientTest {

    private static final String ID = "0b6a3a9e-1f0c-4c55-9f59-2d7c3f1e8a10";
    private static final String ID_2 = "7d1c2f00-5b1e-4a8e-8f3a-0c9d2e4b6a11";
    private static final String SUBMITTED = "{\"id\":\"" + ID + "\",\"type\":\"echo\",\"status\":\"queued\","
            + "\"priority\":\"high\",\"token\":\"tok-1\",\"createdAt\":\"2026-11-29T10:00:00.123Z\"}";
    private static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(20), Duration.ofMillis(100),
            Duration.ofSeconds(10));

    private RecordingHttpServer server;
    private LiveQueueClient client;

    @BeforeEach
    void start() {
        server = RecordingHttpServer.start();
        client = LiveQueueClient.builder().producer(server.url()).retryPolicy(FAST).bearerToken("secret-1").build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void submitSendsEverySetFieldAndReadsTheAnswer() throws Exception {
        server.answer(Answer.json(202, SUBMITTED));

        SubmittedJob job = client.submit(JobRequest.of("echo").withPayload(Map.of("hello", "world"))
                .withReplyTo("inbox-1").withPriority(Priority.HIGH).withMaxAttempts(5).withQueue("emails"));

        assertThat(job).isEqualTo(new SubmittedJob(ID, "echo", JobStatus.QUEUED, Priority.HIGH, "tok-1",
                Instant.parse("2026-11-29T10:00:00.123Z")));
        Received request = server.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/jobs");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("Authorization")).isEqualTo("Bearer secret-1");
        assertThat(request.header("Idempotency-Key")).isNotBlank();
        assertThat(Json.MAPPER.readTree(request.body())).isEqualTo(Json.MAPPER.readTree("{\"type\":\"echo\","
                + "\"payload\":{\"hello\":\"world\"},\"replyTo\":\"inbox-1\",\"priority\":\"high\",\"maxAttempts\":5,"
                + "\"queue\":\"emails\"}"));
    }

    @Test
    void unsetOptionalFieldsAreNotSent() throws Exception {
        server.answer(Answer.json(202, SUBMITTED));

        client.submit(JobRequest.of("echo"));

        JsonNode body = Json.MAPPER.readTree(server.requests().get(0).body());
        assertThat(body).isEqualTo(Json.MAPPER.readTree("{\"type\":\"echo\"}"));
    }

    @Test
    void eachLogicalSubmitHasAKeyOfItsOwn() {
        server.answer(Answer.json(202, SUBMITTED), Answer.json(202, SUBMITTED));

        client.submit(JobRequest.of("echo"));
        client.submit(JobRequest.of("echo"));

        assertThat(server.requests().get(0).header("Idempotency-Key"))
                .isNotEqualTo(server.requests().get(1).header("Idempotency-Key"));
    }

    @Test
    void queueFullIsRetriedAfterRetryAfterWithTheSameIdempotencyKey() {
        server.answer(Answer.problem(429, "{\"type\":\"urn:livequeue:problem:queue-full\",\"title\":\"Queue full\","
                + "\"status\":429}", "1"), Answer.json(202, SUBMITTED));

        SubmittedJob job = client.submit(JobRequest.of("echo"));

        assertThat(job.id()).isEqualTo(ID);
        List<Received> tries = server.requests();
        assertThat(tries).hasSize(2);
        assertThat(tries.get(1).header("Idempotency-Key")).isEqualTo(tries.get(0).header("Idempotency-Key"));
        assertThat(Duration.ofNanos(tries.get(1).atNanos() - tries.get(0).atNanos()))
                .as("wait between the tries (Retry-After: 1)").isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void unavailableWithoutRetryAfterIsRetriedWithBackoffAndTheSameKey() {
        String unavailable = "{\"title\":\"Service unavailable\",\"status\":503}";
        server.answer(Answer.problem(503, unavailable, null), Answer.problem(503, unavailable, null),
                Answer.json(202, SUBMITTED));

        client.submit(JobRequest.of("echo"), "my-key-1");

        assertThat(server.requests()).extracting(r -> r.header("Idempotency-Key"))
                .containsExactly("my-key-1", "my-key-1", "my-key-1");
    }

    @Test
    void invalidRequestIsNeverRetriedAndCarriesEveryFieldError() {
        server.answer(Answer.problem(400, "{\"type\":\"urn:livequeue:problem:invalid-job\",\"title\":\"Invalid job "
                + "request\",\"status\":400,\"detail\":\"2 fields are invalid\",\"instance\":\"/api/jobs\",\"errors\":"
                + "[{\"field\":\"type\",\"message\":\"unknown job type 'teleport'\"},{\"field\":\"maxAttempts\","
                + "\"message\":\"must be a whole number from 1 to 20\"}]}", null), Answer.json(202, SUBMITTED));

        assertThatThrownBy(() -> client.submit(JobRequest.of("teleport").withMaxAttempts(99)))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.type()).isEqualTo("urn:livequeue:problem:invalid-job");
                    assertThat(e.title()).isEqualTo("Invalid job request");
                    assertThat(e.detail()).isEqualTo("2 fields are invalid");
                    assertThat(e.errors()).containsExactly(
                            new FieldError("type", "unknown job type 'teleport'"),
                            new FieldError("maxAttempts", "must be a whole number from 1 to 20"));
                    assertThat(e.getMessage()).contains("maxAttempts: must be a whole number");
                });
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void unavailableEveryTimeGivesUpAfterTheAllowedTries() {
        for (int i = 0; i < 10; i++) {
            server.answer(Answer.problem(503, "{\"title\":\"Service unavailable\",\"status\":503}", null));
        }

        assertThatThrownBy(() -> client.submit(JobRequest.of("echo")))
                .isInstanceOf(ServiceUnavailableException.class);
        assertThat(server.requests()).hasSize(FAST.maxTries());
    }

    @Test
    void aRetryAfterBeyondTheTimeLeftIsNotWaitedFor() {
        server.answer(Answer.problem(429, "{\"title\":\"Queue full\",\"status\":429}", "3600"),
                Answer.json(202, SUBMITTED));
        long start = System.nanoTime();

        assertThatThrownBy(() -> client.submit(JobRequest.of("echo")))
                .isInstanceOfSatisfying(QueueFullException.class, e ->
                        assertThat(e.retryAfter()).contains(Duration.ofHours(1)));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void noServerMeansConnectionFailedAfterTheAllowedTries() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        LiveQueueClient nowhere = LiveQueueClient.builder().producer("http://127.0.0.1:" + closedPort)
                .retryPolicy(FAST).build();

        assertThatThrownBy(() -> nowhere.submit(JobRequest.of("echo")))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.status()).isZero();
                    assertThat(e.getCause()).isInstanceOf(ConnectException.class);
                });
    }

    @Test
    void batchSendsTheJobsInOrderAndReadsEveryAnswer() throws Exception {
        String second = SUBMITTED.replace(ID, ID_2).replace("tok-1", "tok-2");
        server.answer(Answer.json(202, "{\"jobs\":[" + SUBMITTED + "," + second + "]}"));

        List<SubmittedJob> jobs = client.submitBatch(List.of(JobRequest.of("echo").withPayload(1),
                JobRequest.of("sleep").withPayload(Map.of("ms", 10))));

        assertThat(jobs).extracting(SubmittedJob::id, SubmittedJob::token)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ID, "tok-1"),
                        org.assertj.core.groups.Tuple.tuple(ID_2, "tok-2"));
        Received request = server.requests().get(0);
        assertThat(request.path()).isEqualTo("/api/jobs/batch");
        assertThat(request.header("Idempotency-Key")).isNotBlank();
        assertThat(Json.MAPPER.readTree(request.body())).isEqualTo(Json.MAPPER.readTree("{\"jobs\":[{\"type\":"
                + "\"echo\",\"payload\":1},{\"type\":\"sleep\",\"payload\":{\"ms\":10}}]}"));
    }

    @Test
    void statusReadsTheWholeJobDocument() {
        server.answer(Answer.json(200, "{\"id\":\"" + ID + "\",\"type\":\"echo\",\"status\":\"completed\","
                + "\"priority\":\"low\",\"attempts\":2,\"maxAttempts\":3,\"payload\":{\"n\":12345678901234567890},"
                + "\"result\":{\"n\":12345678901234567890},\"error\":\"boom\",\"createdAt\":\"2026-11-29T10:00:00Z\","
                + "\"startedAt\":\"2026-11-29T10:00:01Z\",\"finishedAt\":null,\"errors\":[\"boom\"],"
                + "\"somethingNew\":true}"));

        JobView job = client.status(ID);

        assertThat(server.requests().get(0).path()).isEqualTo("/api/jobs/" + ID);
        assertThat(server.requests().get(0).method()).isEqualTo("GET");
        assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(job.priority()).isEqualTo(Priority.LOW);
        assertThat(job.attempts()).isEqualTo(2);
        assertThat(job.maxAttempts()).isEqualTo(3);
        assertThat(job.payload().path("n").bigIntegerValue()).isEqualTo(new java.math.BigInteger(
                "12345678901234567890"));
        assertThat(job.result()).isEqualTo(job.payload());
        assertThat(job.error()).isEqualTo("boom");
        assertThat(job.errors()).containsExactly("boom");
        assertThat(job.createdAt()).isEqualTo(Instant.parse("2026-11-29T10:00:00Z"));
        assertThat(job.startedAt()).isEqualTo(Instant.parse("2026-11-29T10:00:01Z"));
        assertThat(job.finishedAt()).isNull();
    }

    @Test
    void unknownJobIsNotFound() {
        server.answer(Answer.problem(404, "{\"type\":\"urn:livequeue:problem:job-not-found\",\"title\":\"Job not "
                + "found\",\"status\":404,\"detail\":\"no job " + ID + "\"}", null));

        assertThatThrownBy(() -> client.status(ID)).isInstanceOfSatisfying(JobNotFoundException.class, e -> {
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.detail()).isEqualTo("no job " + ID);
        });
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void delayAndTtlAreSentInMillisecondsAndAScheduledAnswerIsRead() throws Exception {
        server.answer(Answer.json(202, SUBMITTED.replace("\"queued\"", "\"scheduled\"").replace("}",
                ",\"runAt\":\"2026-11-29T10:05:00.123Z\"}")));

        SubmittedJob job = client.submit(JobRequest.of("echo").withDelay(Duration.ofMinutes(5))
                .withTtl(Duration.ofMillis(1500)));

        assertThat(Json.MAPPER.readTree(server.requests().get(0).body())).isEqualTo(Json.MAPPER.readTree(
                "{\"type\":\"echo\",\"delay\":300000,\"ttl\":1500}"));
        assertThat(job.status()).isEqualTo(JobStatus.SCHEDULED);
        assertThat(job.runAt()).isEqualTo(Instant.parse("2026-11-29T10:05:00.123Z"));
    }

    @Test
    void runAtAndExpiresAtAreSentAsRfc3339InstantsToTheMillisecond() throws Exception {
        server.answer(Answer.json(202, "{\"jobs\":[" + SUBMITTED + "," + SUBMITTED.replace(ID, ID_2) + "]}"));

        List<SubmittedJob> jobs = client.submitBatch(List.of(
                JobRequest.of("sms").withRunAt(Instant.parse("2026-12-01T08:00:00.123456789Z"))
                        .withExpiresAt(Instant.parse("2026-12-01T08:05:00Z")),
                JobRequest.of("echo")));

        assertThat(Json.MAPPER.readTree(server.requests().get(0).body())).isEqualTo(Json.MAPPER.readTree(
                "{\"jobs\":[{\"type\":\"sms\",\"runAt\":\"2026-12-01T08:00:00.123Z\","
                        + "\"expiresAt\":\"2026-12-01T08:05:00Z\"},{\"type\":\"echo\"}]}"));
        assertThat(jobs).extracting(SubmittedJob::runAt).as("queued at once: no due time").containsOnlyNulls();
    }

    @Test
    void statusReadsDueTimeDeadlineAndProgress() {
        server.answer(Answer.json(200, "{\"id\":\"" + ID + "\",\"type\":\"sleep\",\"status\":\"active\","
                + "\"priority\":\"normal\",\"attempts\":1,\"maxAttempts\":3,\"payload\":{\"ms\":10000},"
                + "\"result\":null,\"error\":null,\"createdAt\":\"2026-11-29T10:00:00Z\","
                + "\"startedAt\":\"2026-11-29T10:05:00.004Z\",\"finishedAt\":null,\"errors\":[],"
                + "\"runAt\":\"2026-11-29T10:05:00Z\",\"expiresAt\":\"2026-11-29T11:00:00Z\","
                + "\"progress\":{\"percent\":40,\"data\":{\"step\":\"copy\"}}}"));

        JobView job = client.status(ID);

        assertThat(job.runAt()).isEqualTo(Instant.parse("2026-11-29T10:05:00Z"));
        assertThat(job.expiresAt()).isEqualTo(Instant.parse("2026-11-29T11:00:00Z"));
        assertThat(job.progress().percent()).isEqualTo(40.0);
        assertThat(job.progress().data().path("step").asText()).isEqualTo("copy");
    }

    @Test
    void cancellingAWaitingJobSendsItsTokenAndIsCancelledAtOnce() {
        server.answer(Answer.json(200, jobDocument("cancelled")));
        SubmittedJob job = new SubmittedJob(ID, "echo", JobStatus.SCHEDULED, Priority.NORMAL, "tok-1", null);

        Cancellation cancellation = client.cancel(job);

        Received request = server.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/jobs/" + ID + "/cancel");
        assertThat(request.header("Job-Token")).isEqualTo("tok-1");
        assertThat(cancellation.outcome()).isEqualTo(Cancellation.Outcome.CANCELLED);
        assertThat(cancellation.isCancelled()).isTrue();
        assertThat(cancellation.job().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancellation.job().status().isFinal()).isTrue();
    }

    @Test
    void cancellingARunningJobIsOnlyRequested() {
        server.answer(Answer.json(202, jobDocument("active").replace("}", ",\"cancelRequested\":true}")));

        Cancellation cancellation = client.cancel(ID);

        assertThat(server.requests().get(0).header("Authorization")).isEqualTo("Bearer secret-1");
        assertThat(server.requests().get(0).header("Job-Token")).isNull();
        assertThat(cancellation.outcome()).isEqualTo(Cancellation.Outcome.REQUESTED);
        assertThat(cancellation.isCancelled()).isFalse();
        assertThat(cancellation.job().status()).isEqualTo(JobStatus.ACTIVE);
    }

    @Test
    void cancellingAFinishedJobIsAConflictOfItsOwnKind() {
        server.answer(Answer.problem(409, "{\"type\":\"urn:livequeue:problem:job-finished\",\"title\":\"Job "
                + "finished\",\"status\":409,\"detail\":\"job " + ID + " is completed\"}", null));

        assertThatThrownBy(() -> client.cancel(new SubmittedJob(ID, "echo", JobStatus.QUEUED, Priority.NORMAL,
                "tok-1", null))).isInstanceOfSatisfying(JobFinishedException.class, e -> {
                    assertThat(e).isInstanceOf(ConflictException.class);
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.detail()).isEqualTo("job " + ID + " is completed");
                });
        assertThat(server.requests()).as("409 is not retried").hasSize(1);
    }

    @Test
    void cancellingAnUnknownJobIsNotFound() {
        server.answer(Answer.problem(404, "{\"type\":\"urn:livequeue:problem:job-not-found\",\"title\":\"Job not "
                + "found\",\"status\":404}", null));

        assertThatThrownBy(() -> client.cancel(ID)).isInstanceOf(JobNotFoundException.class);
    }

    private static String jobDocument(String status) {
        return "{\"id\":\"" + ID + "\",\"type\":\"echo\",\"status\":\"" + status + "\",\"priority\":\"normal\","
                + "\"attempts\":0,\"maxAttempts\":3,\"payload\":null,\"result\":null,\"error\":null,"
                + "\"createdAt\":\"2026-11-29T10:00:00Z\",\"startedAt\":null,\"finishedAt\":null,\"errors\":[]}";
    }

    @Test
    void anAnswerThatIsNotAProblemDocumentStillGivesItsStatusAndBody() {
        server.answer(new Answer(502, Map.of("Content-Type", "text/html"), "<html>Bad gateway</html>"));

        assertThatThrownBy(() -> client.status(ID)).isInstanceOfSatisfying(LiveQueueException.class, e -> {
            assertThat(e).isExactlyInstanceOf(LiveQueueException.class);
            assertThat(e.status()).isEqualTo(502);
            assertThat(e.detail()).isEqualTo("<html>Bad gateway</html>");
        });
        assertThat(server.requests()).as("502 is not retried").hasSize(1);
    }
}
