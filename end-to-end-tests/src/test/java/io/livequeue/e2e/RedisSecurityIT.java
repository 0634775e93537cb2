package io.livequeue.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.livequeue.testing.DocumentedAcl;
import io.livequeue.testing.RedisServer;
import io.livequeue.testing.TestCertificates;
import io.livequeue.testing.TestSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The three packaged services on a Redis run as production should run it: TLS only, anonymous clients refused, and one
 * user, exactly the one of {@code docs/redis-acl.conf}. Each service is configured as an operator configures it, with
 * two environment variables: REDIS_URL ({@code rediss://livequeue:<password>@…}) and LIVEQUEUE_REDIS_CA. A job then
 * runs end to end (which takes the consumer's blocking client too), and a service with a wrong password or without the
 * CA is refused: not ready, Redis health DOWN, submits answered 503. No log line ever shows a password.
 */
class RedisSecurityIT {

    private static final Path ROOT = Path.of(System.getProperty("livequeue.root", "..")).toAbsolutePath().normalize();
    private static final Path LOGS = ROOT.resolve("end-to-end-tests/target/e2e-logs/redis-security");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static String password;
    private static TestCertificates certificates;
    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        password = HexFormat.of().formatHex(secret);
        certificates = TestCertificates.create(LOGS.resolve("certificates"));
        redis = RedisServer.startSecured(List.of(DocumentedAcl.line("livequeue", password)), certificates);
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void jobsRunEndToEndOverTlsAsTheDocumentedUser() {
        try (LiveStack stack = LiveStack.startWithEnvironment("redis-security/stack", 1, Map.of(
                "REDIS_URL", redis.url(DocumentedAcl.USER, password),
                "LIVEQUEUE_REDIS_CA", certificates.caCert().toString()));
                TestSocket socket = TestSocket.connect(stack.gatewaySocket("/ws"))) {
            String inbox = socket.next().path("inbox").asText();

            String echo = submit(stack, "{\"type\":\"echo\",\"payload\":{\"hello\":\"tls\"},\"replyTo\":\"" + inbox
                    + "\"}");
            JsonNode completed = completion(socket, echo);
            assertThat(completed.path("result").path("hello").asText()).isEqualTo("tls");
            String sms = submit(stack, "{\"type\":\"sms\",\"payload\":{\"to\":\"+4915112345678\",\"message\":\"hi\"},"
                    + "\"replyTo\":\"" + inbox + "\"}");
            assertThat(completion(socket, sms).path("result").path("provider").asText()).isEqualTo("recording");
            assertThat(Rest.get(stack.producer() + "/api/jobs/" + echo).body().path("status").asText())
                    .isEqualTo("completed");

            // the consumer's second client, for its blocking waits, is logged in and trusted too
            ServiceProcess consumer = stack.consumers().get(0);
            assertThat(redisCheck(consumer).path("data").path("blocking").asText()).isEqualTo("PONG");
            for (ServiceProcess service : stack.services()) {
                assertThat(log(service)).as(service.log().toString())
                        .doesNotContain(password, "NOPERM", "WRONGPASS", "the waker of queue");
            }
        }
    }

    @Test
    void aWrongPasswordIsRefusedAndNeverLogged() {
        String wrong = "wrong-" + password.substring(0, 8);
        ServiceProcess producer = unready("producer-wrong-password", "producer-service", Map.of(
                "REDIS_URL", redis.url(DocumentedAcl.USER, wrong),
                "LIVEQUEUE_REDIS_CA", certificates.caCert().toString()));
        try {
            assertThat(awaitRedisDown(producer)).contains("WRONGPASS");
            Rest.Answer submitted = Rest.post(producer.url() + "/api/jobs", "{\"type\":\"echo\"}");
            assertThat(submitted.status()).isEqualTo(503);
            assertThat(submitted.contentType()).startsWith("application/problem+json");
            assertThat(submitted.body().path("detail").asText()).contains("cannot be reached; nothing was changed");
            assertThat(log(producer)).doesNotContain(wrong, password);
        } finally {
            producer.close();
        }
    }

    @Test
    void withoutTheCaTheServerIsNotTrusted() {
        ServiceProcess producer = unready("producer-no-ca", "producer-service", Map.of(
                "REDIS_URL", redis.url(DocumentedAcl.USER, password)));
        try {
            assertThat(awaitRedisDown(producer)).contains("SSLHandshakeException");
            assertThat(log(producer)).doesNotContain(password);
        } finally {
            producer.close();
        }
    }

    @Test
    void aClientWithoutCredentialsIsRefused() {
        ServiceProcess consumer = unready("consumer-anonymous", "consumer-service", Map.of(
                "REDIS_URL", redis.url(), "LIVEQUEUE_REDIS_CA", certificates.caCert().toString()));
        try {
            assertThat(awaitRedisDown(consumer)).contains("NOAUTH");
        } finally {
            consumer.close();
        }
    }

    private static String submit(LiveStack stack, String job) {
        Rest.Answer submitted = Rest.post(stack.producer() + "/api/jobs", job);
        assertThat(submitted.status()).as(submitted.body().toString()).isEqualTo(202);
        return submitted.body().path("id").asText();
    }

    private static JsonNode completion(TestSocket socket, String id) {
        return socket.nextMatching(e -> id.equals(e.path("id").asText())
                && "completed".equals(e.path("status").asText()));
    }

    private static ServiceProcess unready(String name, String module, Map<String, String> environment) {
        return ServiceProcess.startUnready(ROOT, module, name, LOGS, List.of(
                "livequeue.token.secret=" + LiveStack.TOKEN_SECRET,
                "livequeue.operator.token=" + LiveStack.OPERATOR_TOKEN, "livequeue.auth=none"), environment);
    }

    /** Waits until the service says it is not ready because of Redis; returns why its Redis check failed. */
    private static String awaitRedisDown(ServiceProcess service) {
        return await(service.log() + " reports Redis down").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(UncheckedIOException.class)
                .until(() -> {
                    assertThat(service.isAlive()).as(service.log() + ": the service exited").isTrue();
                    Rest.Answer ready = Rest.get(service.url() + "/q/health/ready");
                    assertThat(ready.status()).as("readiness").isNotEqualTo(200);
                    JsonNode check = redisCheck(ready.body());
                    return check != null && "DOWN".equals(check.path("status").asText()) ? check.path("data")
                            .toString() : null;
                }, reason -> reason != null);
    }

    private static JsonNode redisCheck(ServiceProcess service) {
        return redisCheck(Rest.get(service.url() + "/q/health/ready").body());
    }

    private static JsonNode redisCheck(JsonNode health) {
        for (JsonNode check : health.path("checks")) {
            if (check.path("name").asText().startsWith("Redis")) {
                return check;
            }
        }
        return null;
    }

    private static String log(ServiceProcess service) {
        try {
            return Files.readString(service.log());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
