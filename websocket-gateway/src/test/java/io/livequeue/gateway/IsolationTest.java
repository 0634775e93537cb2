package io.livequeue.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.livequeue.core.Ids;
import io.livequeue.core.JobEvent;
import io.livequeue.core.JobStatus;
import io.livequeue.core.JobTokens;
import io.livequeue.core.Priority;
import io.livequeue.core.rdb.ClaimedJob;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.NewJob;
import io.livequeue.gateway.socket.ClientRegistry;
import io.livequeue.testing.RedisTestResource;
import io.livequeue.testing.TestSocket;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** One thousand attempts to read other clients' jobs: each is refused, and not one job event reaches the attacker. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class IsolationTest {

    private static final int JOBS = 10;
    private static final int ATTEMPTS = 1_000;
    private static final int KINDS = 10;
    /** Signs like the gateway, under a secret the gateway does not have. */
    private static final JobTokens FORGER = new JobTokens("other", Optional.empty());
    private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    @TestHTTPResource("/")
    URI root;

    @Inject
    JobStore store;

    @Inject
    JobTokens tokens;

    @Inject
    ClientRegistry registry;

    /** One attack: what it is, the frame the attacker sends, and the error code it must get. */
    record Attempt(String kind, String frame, String code) {
    }

    @Test
    void thousandAttemptsOnAnotherClientsJobsGetErrorsAndDeliverNoJobEvent() {
        long start = System.nanoTime();
        try (TestSocket owner = connect(); TestSocket attacker = connect()) {
            String ownerInbox = owner.next().path("inbox").asText();
            String attackerInbox = attacker.next().path("inbox").asText();
            assertThat(attackerInbox).isNotEqualTo(ownerInbox);
            List<String> ids = enqueue(ownerInbox);
            for (int i = 0; i < JOBS; i++) {
                JsonNode queued = owner.next();
                assertThat(queued.path("event").asText()).as(queued.toString()).isEqualTo("job");
                assertThat(queued.path("status").asText()).isEqualTo("queued");
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> registry.watchedJobs() == 0); // other tests' sockets
            Random random = new Random(20261125);
            Map<String, Integer> perKind = new TreeMap<>();
            for (int i = 0; i < ATTEMPTS; i++) {
                Attempt attempt = attempt(i, random, ids, ownerInbox);
                attacker.send(attempt.frame());
                JsonNode answer = attacker.next();
                assertThat(answer.path("event").asText()).as("attempt %d (%s): %s -> %s", i, attempt.kind(),
                        attempt.frame(), answer).isEqualTo("error");
                assertThat(answer.path("code").asText()).as("attempt %d (%s)", i, attempt.kind())
                        .isEqualTo(attempt.code());
                perKind.merge(attempt.kind(), 1, Integer::sum);
            }
            assertThat(perKind).hasSize(KINDS).allSatisfy((kind, n) -> assertThat(n).isEqualTo(ATTEMPTS / KINDS));
            assertThat(registry.watchedJobs()).as("no attempt made the attacker a watcher").isZero();

            finishAll(ids);
            Map<String, List<String>> statuses = new HashMap<>();
            for (int i = 0; i < 2 * JOBS; i++) {
                JsonNode event = owner.next();
                assertThat(event.path("event").asText()).as(event.toString()).isEqualTo("job");
                statuses.computeIfAbsent(event.path("id").asText(), id -> new ArrayList<>())
                        .add(event.path("status").asText());
            }
            assertThat(statuses).containsOnlyKeys(ids)
                    .allSatisfy((id, seen) -> assertThat(seen).containsExactly("active", "completed"));

            // every event of the owner's jobs has been routed; had one gone to the attacker, it would come first
            String probe = Ids.newJobId();
            attacker.send("{\"op\":\"unsubscribe\",\"job\":\"" + probe + "\"}");
            JsonNode last = attacker.next();
            assertThat(last.path("event").asText()).as(last.toString()).isEqualTo("unsubscribed");
            assertThat(last.path("job").asText()).isEqualTo(probe);
            assertThat(attacker.pending()).isZero();
            assertThat(owner.pending()).isZero();
            System.out.printf("IsolationTest: %d attempts %s refused, 0 job events to the attacker, in %d ms%n",
                    ATTEMPTS, perKind, (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** The i-th attack, cycling through the ten kinds so that each is tried 100 times. */
    private Attempt attempt(int i, Random random, List<String> ids, String ownerInbox) {
        String target = ids.get(random.nextInt(ids.size()));
        String other = ids.get((ids.indexOf(target) + 1 + random.nextInt(ids.size() - 1)) % ids.size());
        String valid = tokens.issue(target);
        return switch (i % KINDS) {
            case 0 -> new Attempt("token-of-another-job", subscribe(target, tokens.issue(other)), "forbidden");
            case 1 -> new Attempt("mutated-token", subscribe(target, mutate(valid, random)), "forbidden");
            case 2 -> new Attempt("empty-token", subscribe(target, ""), "forbidden");
            case 3 -> new Attempt("token-signed-with-another-secret", subscribe(target, FORGER.issue(target)),
                    "forbidden");
            case 4 -> new Attempt("valid-token-replayed-on-another-job", subscribe(Ids.newJobId(), valid),
                    "forbidden");
            case 5 -> new Attempt("guessed-inbox-as-job", subscribe(Ids.newInboxId(), tokens.issue(Ids.newInboxId())),
                    "bad-request");
            case 6 -> new Attempt("owner-inbox-as-job-with-its-real-signature",
                    subscribe(ownerInbox, tokens.issue(ownerInbox)), "bad-request");
            case 7 -> new Attempt("truncated-or-extended-token", subscribe(target, random.nextBoolean()
                    ? valid.substring(0, 1 + random.nextInt(valid.length() - 1))
                    : valid + BASE64URL.charAt(random.nextInt(BASE64URL.length()))), "forbidden");
            case 8 -> new Attempt("missing-or-null-token", random.nextBoolean()
                    ? "{\"op\":\"subscribe\",\"job\":\"" + target + "\"}"
                    : "{\"op\":\"subscribe\",\"job\":\"" + target + "\",\"token\":null}", "forbidden");
            case 9 -> new Attempt("upper-case-job-id-with-valid-token", subscribe(target.toUpperCase(), valid),
                    "bad-request");
            default -> throw new IllegalStateException();
        };
    }

    /** The token with one character replaced by a different base64url character. */
    private static String mutate(String token, Random random) {
        int at = random.nextInt(token.length());
        char replacement;
        do {
            replacement = BASE64URL.charAt(random.nextInt(BASE64URL.length()));
        } while (replacement == token.charAt(at));
        return token.substring(0, at) + replacement + token.substring(at + 1);
    }

    private List<String> enqueue(String replyTo) {
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            jobs.add(new NewJob(Ids.newJobId(), "echo", Priority.HIGH, 3, "{\"secret\":" + i + "}", replyTo));
        }
        store.enqueue("default", jobs, 0).await().atMost(Duration.ofSeconds(5));
        return jobs.stream().map(NewJob::id).toList();
    }

    /** Claims and completes every job of the list; other tests' jobs claimed on the way are completed too. */
    private void finishAll(List<String> ids) {
        Set<String> left = new HashSet<>(ids);
        while (!left.isEmpty()) {
            ClaimedJob job = store.claim("default", "isolation-test", Duration.ofMinutes(1), Duration.ZERO).await()
                    .atMost(Duration.ofSeconds(5));
            assertThat(job).as("jobs %s should be waiting", left).isNotNull();
            left.remove(job.id());
            String result = "{\"secret\":\"" + job.id() + "\"}";
            String event = JobEvent.json(job.id(), job.type(), JobStatus.COMPLETED, job.attempts(), result, null);
            assertThat(store.finish(job, JobStatus.COMPLETED, result, null, event, Duration.ofHours(1), Duration.ZERO)
                    .await().atMost(Duration.ofSeconds(5))).isTrue();
        }
    }

    private TestSocket connect() {
        return TestSocket.connect("ws://" + root.getHost() + ":" + root.getPort() + "/ws");
    }

    private static String subscribe(String id, String token) {
        return "{\"op\":\"subscribe\",\"job\":\"" + id + "\",\"token\":\"" + token + "\"}";
    }
}
