package io.livequeue.consumer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.livequeue.core.Ids;
import io.livequeue.core.Job;
import io.livequeue.core.JobStatus;
import io.livequeue.core.Priority;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.NewJob;
import io.livequeue.core.rdb.Keyspace;
import io.livequeue.core.rdb.PubSub;
import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged consumer (the jar here; the native executable when built with -Dnative) runs jobs it finds in a
 * real Redis: the handlers' Jackson work and the Lua scripts behave the same in the artifact that ships.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(RedisTestResource.class)
class PackagedConsumerIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static Vertx vertx;
    private static Redis redis;
    private static JobStore store;

    @BeforeAll
    static void connect() {
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, RedisTestResource.current().url());
        store = new JobStore(redis, new Keyspace("livequeue"), Duration.ofSeconds(3), PubSub.PLAIN);
    }

    @AfterAll
    static void disconnect() {
        redis.close();
        vertx.closeAndAwait();
    }

    @Test
    void echoAndSmsJobsComplete() {
        String echo = enqueue("echo", "{\"hello\":\"world\"}");
        String sms = enqueue("sms", "{\"to\":\"+4915112345678\",\"message\":\"hi\"}");

        Job echoed = awaitFinal(echo);
        Job sent = awaitFinal(sms);

        assertThat(echoed.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(echoed.result()).isEqualTo("{\"hello\":\"world\"}");
        assertThat(sent.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(sent.result()).contains("\"provider\":\"recording\"", "\"to\":\"+49*******5678\"")
                .doesNotContain("4915112345678");
    }

    @Test
    void theLogShowsAnSmsNumberMasked() throws Exception {
        Job sent = awaitFinal(enqueue("sms", "{\"to\":\"+4915112345678\",\"message\":\"hi\"}"));

        assertThat(sent.status()).isEqualTo(JobStatus.COMPLETED);
        Path log = Path.of("target/quarkus.log"); // the packaged consumer's output
        await().atMost(WAIT).until(() -> Files.readString(log).contains("to +49*******5678 (2 chars) recorded"));
        assertThat(Files.readString(log)).doesNotContain("4915112345678");
    }

    @Test
    void aJobOfUnknownTypeIsDeadWithAClearError() {
        Job job = awaitFinal(enqueue("no-such-type", "{}")); // one attempt: no other consumer gets a chance

        assertThat(job.status()).isEqualTo(JobStatus.DEAD);
        assertThat(job.error()).isEqualTo("no consumer of queue default handled type 'no-such-type'");
    }

    @Test
    void healthIsUp() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    private static String enqueue(String type, String payload) {
        String id = Ids.newJobId();
        store.enqueue("default", List.of(new NewJob(id, type, Priority.NORMAL, 1, payload, null)), 0).await().atMost(WAIT);
        return id;
    }

    private static Job awaitFinal(String id) {
        return await().atMost(WAIT).until(() -> store.find(id).await().atMost(WAIT),
                found -> found.map(job -> job.status().isFinal()).orElse(false)).map(Job.class::cast)
                .orElseThrow();
    }
}
