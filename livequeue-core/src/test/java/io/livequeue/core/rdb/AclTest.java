package io.livequeue.core.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.livequeue.core.Ids;
import io.livequeue.core.JobEvent;
import io.livequeue.core.JobStatus;
import io.livequeue.core.Priority;
import io.livequeue.testing.DocumentedAcl;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Redis user of {@code docs/redis-acl.conf} can do everything the three services do, and nothing else. Every other
 * core test already runs its storage calls as that user ({@link TestRedis}); this one covers what they do not reach:
 * the gateway's subscriptions, the consumer's outbox and health check, WAIT, the Cluster client's own commands, a
 * job's whole life checked against the server's ACL log (a denial that some caller swallowed shows there), and the
 * refusals: no anonymous client, no other key or channel, no administrative command.
 */
class AclTest {

    private static final String INBOX = "AAAAAAAAAAAAAAAAAAAAAA-inbox_1";
    private static final Duration LEASE = Duration.ofSeconds(30);

    private static TestRedis redis;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void emptyRedisAndAclLog() {
        redis.flushAll();
        redis.send(Command.ACL, "LOG", "RESET");
    }

    @Test
    void theDocumentedUserHasNoPasswordOfItsOwnAndNoBlanketGrant() {
        String rules = DocumentedAcl.rules();

        assertThat(rules).startsWith("reset on ~livequeue:* &livequeue:* +")
                .doesNotContain(">", "<", "#", "nopass", "+@", "allkeys", "allchannels", "allcommands", "~* ", "&* ");
        assertThat(rules.split(" ")).as("one explicit command per grant")
                .filteredOn(rule -> rule.startsWith("+")).allMatch(rule -> rule.matches("\\+[a-z]+(\\|[a-z]+)?"));
    }

    @Test
    void anonymousClientsAndWrongPasswordsAreRefused() {
        Redis anonymous = Redis.createClient(redis.vertx, redis.server.url());
        Redis wrong = Redis.createClient(redis.vertx, redis.server.url(DocumentedAcl.USER, "not-the-password"));
        try {
            assertThatThrownBy(() -> anonymous.send(Request.cmd(Command.PING)).await().atMost(TestRedis.TIMEOUT))
                    .hasMessageContaining("NOAUTH");
            assertThatThrownBy(() -> wrong.send(Request.cmd(Command.PING)).await().atMost(TestRedis.TIMEOUT))
                    .hasMessageContaining("WRONGPASS");
            // the storage calls know that such a command never ran
            JobStore refused = new JobStore(wrong, redis.keyspace, TestRedis.COMMAND_TIMEOUT, PubSub.PLAIN);
            assertThatThrownBy(() -> done(refused.enqueue("default", List.of(job(Ids.newJobId())), 0)))
                    .isInstanceOfSatisfying(StorageUnavailableException.class,
                            e -> assertThat(e.outcomeUnknown()).isFalse());
        } finally {
            anonymous.close();
            wrong.close();
        }
    }

    @Test
    void aJobsWholeLifeAndEveryOperatorViewLeaveNoDenialInTheAclLog() {
        Queues queues = redis.queues;
        JobStore store = redis.store;
        assertThat(done(queues.register("sms", 10))).isTrue();
        String first = Ids.newJobId("sms");
        String second = Ids.newJobId("sms");
        done(store.enqueue("sms", List.of(job(first), job(second)), 100, "digest", Duration.ofMinutes(1)));
        assertThat(done(store.awaitWork(redis.redis, "sms", Duration.ofMillis(100), 10))).isNotEmpty();

        ClaimedJob claimed = done(store.claim("sms", "consumer-1", LEASE, Duration.ZERO));
        finish(claimed, JobStatus.FAILED, "first attempt");
        done(store.heartbeat("sms", "consumer-1", List.of(), LEASE, Duration.ofMinutes(1), Duration.ofHours(1)));
        Turn turn = done(store.finishAndClaim("sms", List.of(), "consumer-1", LEASE, Duration.ZERO, 2));
        for (ClaimedJob job : turn.claimed()) {
            finish(job, JobStatus.DEAD, "gave up");
        }
        assertThat(done(redis.deadLetters.page(List.of("sms"), 0, 10)).total()).isEqualTo(2);
        assertThat(done(redis.deadLetters.revive(first))).isTrue();
        assertThat(done(redis.deadLetters.forget(second))).isTrue();
        finish(done(store.claim("sms", "consumer-1", LEASE, Duration.ofHours(1))), JobStatus.COMPLETED, null);

        done(queues.pause("sms"));
        done(queues.resume("sms"));
        done(queues.limit("sms", 5, 10, Duration.ofSeconds(1)));
        assertThat(done(queues.names())).containsExactly("default", "sms");
        assertThat(done(queues.states())).hasSize(2);
        assertThat(done(redis.inboxLog.since("sms", 0, 10))).extracting(InboxLog.Entry::jobId)
                .contains(first, second);
        done(redis.inspector.consumers(List.of("default", "sms"), 10));
        done(redis.inspector.retrying(List.of("default", "sms")));
        assertThat(done(redis.inspector.document(first))).isPresent();
        assertThat(done(store.find(first))).isPresent();
        assertThat(done(store.findAll(List.of(first, second)))).hasSize(1);

        assertThat(redis.send(Command.ACL, "LOG")).as("denials").isEmpty();
    }

    @Test
    void theUsersSubscriberHearsTheQueuesEvents() {
        List<String> pushes = new CopyOnWriteArrayList<>();
        RedisConnection subscriber = subscribe(Command.SUBSCRIBE, "subscribe", redis.keys("sms").events(), pushes);
        try {
            String id = Ids.newJobId("sms");
            done(redis.store.enqueue("sms", List.of(new NewJob(id, "echo", Priority.NORMAL, 1, "{}", INBOX)), 0));

            await().atMost(TestRedis.TIMEOUT).until(() -> pushes.stream()
                    .anyMatch(push -> push.startsWith("message ") && push.contains(id)));
        } finally {
            subscriber.closeAndForget();
        }
    }

    @Test
    void theUsersShardedSubscriberHearsEventsPublishedSharded() {
        JobStore sharded = new JobStore(redis.redis, redis.keyspace, TestRedis.COMMAND_TIMEOUT, PubSub.SHARDED);
        List<String> pushes = new CopyOnWriteArrayList<>();
        RedisConnection subscriber = subscribe(Command.SSUBSCRIBE, "ssubscribe", redis.defaultKeys().events(), pushes);
        try {
            String id = Ids.newJobId();
            done(sharded.enqueue("default", List.of(new NewJob(id, "echo", Priority.NORMAL, 1, "{}", INBOX)), 0));

            await().atMost(TestRedis.TIMEOUT).until(() -> pushes.stream()
                    .anyMatch(push -> push.startsWith("smessage ") && push.contains(id)));
        } finally {
            subscriber.closeAndForget();
        }
    }

    @Test
    void theHealthCheckTheOutboxAndWaitForReplicasRunAsTheUser() {
        assertThat(done(redis.redis.send(Request.cmd(Command.PING))).toString()).isEqualTo("PONG");

        // the consumer's RecordingSmsProvider: LPUSH and LTRIM on <prefix>:{jobs}:sms:outbox
        String outbox = TestRedis.PREFIX + ":{jobs}:sms:outbox";
        done(redis.redis.batch(List.of(Request.cmd(Command.LPUSH).arg(outbox).arg("{}"),
                Request.cmd(Command.LTRIM).arg(outbox).arg(0).arg(999))));
        assertThat(redis.send(Command.LLEN, outbox).toLong()).isEqualTo(1);

        // no replica here: WAIT runs and reports none, which fails the enqueue as "outcome unknown", not as NOPERM
        JobStore replicated = new JobStore(redis.redis, redis.keyspace, Duration.ofMillis(200), PubSub.PLAIN)
                .waitForReplicas(1);
        assertThatThrownBy(() -> done(replicated.enqueue("default", List.of(job(Ids.newJobId())), 0)))
                .isInstanceOf(StorageUnavailableException.class).hasMessageContaining("replicas acknowledged");
        assertThat(redis.send(Command.ACL, "LOG")).as("denials").isEmpty();
    }

    @Test
    void theClusterClientsOwnCommandsAreGranted() {
        // not runnable on a standalone server, so asked of the ACL itself
        for (List<String> command : List.of(List.of("CLUSTER", "SLOTS"), List.of("READONLY"), List.of("ASKING"))) {
            List<Object> dryRun = new ArrayList<>(List.of("DRYRUN", DocumentedAcl.USER));
            dryRun.addAll(command);
            assertThat(redis.send(Command.ACL, dryRun.toArray()).toString()).as(String.join(" ", command))
                    .isEqualTo("OK");
        }
    }

    @Test
    void otherKeysOtherChannelsAndAdministrativeCommandsAreRefused() {
        for (List<String> command : List.of(List.of("GET", "other:key"), List.of("SUBSCRIBE", "other:events"),
                List.of("PUBLISH", "other:events", "x"), List.of("KEYS", "*"), List.of("SCAN", "0"),
                List.of("FLUSHALL"), List.of("CONFIG", "GET", "maxmemory"), List.of("SCRIPT", "FLUSH"),
                List.of("CLIENT", "LIST"), List.of("CLUSTER", "NODES"), List.of("SELECT", "1"))) {
            List<Object> dryRun = new ArrayList<>(List.of("DRYRUN", DocumentedAcl.USER));
            dryRun.addAll(command);
            assertThat(redis.send(Command.ACL, dryRun.toArray()).toString()).as(String.join(" ", command))
                    .startsWith("This user has no permissions");
        }
        // a script may not reach outside the prefix either, even with a key it builds itself
        assertThatThrownBy(() -> done(redis.redis.send(Request.cmd(Command.EVAL)
                .arg("return redis.call('GET', ARGV[1])").arg(1).arg(TestRedis.PREFIX + ":x").arg("other:key"))))
                .hasMessageContaining("can't access");
    }

    /** A connection of the user's that listens to {@code channel} (confirmed by Redis); every push goes to pushes. */
    private static RedisConnection subscribe(Command command, String name, String channel, List<String> pushes) {
        RedisConnection connection = done(redis.redis.connect());
        connection.handler(push -> {
            List<String> parts = new ArrayList<>();
            push.forEach(part -> parts.add(String.valueOf(part)));
            pushes.add(String.join(" ", parts));
        });
        done(connection.send(Request.cmd(command).arg(channel)));
        // the confirmation is a push too: once it is in, nothing published later can be missed
        String confirmation = name + " " + channel;
        await().atMost(TestRedis.TIMEOUT).until(() -> pushes.stream().anyMatch(p -> p.startsWith(confirmation)));
        return connection;
    }

    private static NewJob job(String id) {
        return new NewJob(id, "echo", Priority.NORMAL, 2, "{}", INBOX);
    }

    private static void finish(ClaimedJob job, JobStatus outcome, String error) {
        String event = JobEvent.json(job.id(), job.type(), outcome, job.attempts(), null, error);
        done(redis.store.finish(job, outcome, null, error, event, Duration.ofHours(1), Duration.ZERO));
    }

    private static <T> T done(io.smallrye.mutiny.Uni<T> call) {
        return call.await().atMost(TestRedis.TIMEOUT);
    }
}
