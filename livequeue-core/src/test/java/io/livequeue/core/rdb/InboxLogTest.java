package io.livequeue.core.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.livequeue.core.Ids;
import io.livequeue.core.JobEvent;
import io.livequeue.core.JobStatus;
import io.livequeue.core.Priority;
import io.livequeue.core.QueueNames;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each queue's inbox log: the (job, inbox) pairs enqueue.lua and revive.lua append for jobs sent with a replyTo, read
 * back by {@link InboxLog#since}, kept for a while (trimmed with {@code XADD MINID ~}).
 */
class InboxLogTest {

    private static final String INBOX_A = "AAAAAAAAAAAAAAAAAAAAAA";
    private static final String INBOX_B = "BBBBBBBBBBBBBBBBBBBBBB";

    private static TestRedis redis;
    private static JobStore store;
    private static InboxLog log;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
        store = redis.store;
        log = redis.inboxLog;
    }

    @AfterAll
    static void stopRedis() {
        store.inboxLog(Duration.ofSeconds(30));
        redis.close();
    }

    @BeforeEach
    void emptyRedis() {
        redis.flushAll();
        store.inboxLog(Duration.ofSeconds(30));
    }

    @Test
    void jobsSentWithAReplyToAreLoggedWithTheirInboxInOneEntryPerCall() {
        long before = redis.now();
        String a = Ids.newJobId("sms");
        String b = Ids.newJobId("sms");
        String c = Ids.newJobId("sms");
        String d = Ids.newJobId("sms");

        enqueue("sms", job(a, INBOX_A), job(b, null), job(c, INBOX_B));
        enqueue("sms", job(d, INBOX_A));

        assertThat(since("sms", before)).containsExactly(new InboxLog.Entry(a, INBOX_A),
                new InboxLog.Entry(c, INBOX_B), new InboxLog.Entry(d, INBOX_A));
        assertThat(redis.send(Command.XLEN, "test:{q:sms}:inboxes").toLong()).isEqualTo(2);
        assertThat(since(QueueNames.DEFAULT, before)).as("another queue's log").isEmpty();
    }

    @Test
    void sinceReadsFromTheGivenTimeOn() {
        enqueue("sms", job(Ids.newJobId("sms"), INBOX_A));
        List<Response> first = xrange("test:{q:sms}:inboxes");
        long firstMillis = Long.parseLong(first.get(0).get(0).toString().split("-")[0]);
        await().atMost(TestRedis.TIMEOUT).until(() -> redis.now() > firstMillis);
        String later = Ids.newJobId("sms");
        enqueue("sms", job(later, INBOX_B));

        assertThat(since("sms", firstMillis + 1)).containsExactly(new InboxLog.Entry(later, INBOX_B));
        assertThat(since("sms", firstMillis)).hasSize(2);
        assertThat(log.since("sms", 0, 1).await().atMost(TestRedis.TIMEOUT)).as("at most max entries").hasSize(1);
    }

    @Test
    void jobsWithoutAReplyToAddNothing() {
        enqueue("sms", job(Ids.newJobId("sms"), null), job(Ids.newJobId("sms"), null));

        assertThat(redis.send(Command.EXISTS, "test:{q:sms}:inboxes").toInteger()).isZero();
        assertThat(since("sms", 0)).isEmpty();
    }

    @Test
    void aZeroRetentionKeepsNoLogAtAll() {
        store.inboxLog(Duration.ZERO);
        redis.send(Command.CONFIG, "RESETSTAT");

        enqueue(QueueNames.DEFAULT, job(Ids.newJobId(), INBOX_A));

        assertThat(redis.keysMatching("*inboxes*")).isEmpty();
        assertThat(redis.send(Command.INFO, "commandstats").toString()).doesNotContain("cmdstat_xadd");
    }

    @Test
    void entriesOlderThanTheRetentionAreTrimmedWhileNewerOnesAreKept() {
        store.inboxLog(Duration.ofMillis(1000));
        int old = 300;
        List<Uni<Long>> calls = new ArrayList<>();
        for (int i = 0; i < old; i++) {
            calls.add(store.enqueue("sms", List.of(job(Ids.newJobId("sms"), INBOX_A)), 0));
        }
        Uni.join().all(calls).usingConcurrencyOf(4).andFailFast().await().atMost(TestRedis.TIMEOUT);
        long lastOld = redis.now();
        assertThat(redis.send(Command.XLEN, "test:{q:sms}:inboxes").toLong()).as("one entry per call").isEqualTo(old);
        await().atMost(TestRedis.TIMEOUT).until(() -> redis.now() > lastOld + 1000);

        List<String> fresh = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = Ids.newJobId("sms");
            enqueue("sms", job(id, INBOX_B));
            fresh.add(id);
        }

        long length = redis.send(Command.XLEN, "test:{q:sms}:inboxes").toLong();
        List<InboxLog.Entry> kept = since("sms", 0);
        // MINID ~ only drops whole stream nodes (at most 100 entries each by default): all but the newest node of
        // the old entries must be gone, and no entry within the retention may be
        assertThat(length).isLessThan(100 + fresh.size());
        assertThat(kept.subList(kept.size() - 3, kept.size())).extracting(InboxLog.Entry::jobId)
                .containsExactlyElementsOf(fresh);
        assertThat(kept).filteredOn(e -> e.inbox().equals(INBOX_A)).hasSizeLessThan(100);
    }

    @Test
    void aRevivedJobWithAReplyToIsLoggedAgain() {
        String id = Ids.newJobId("sms");
        enqueue("sms", job(id, INBOX_A));
        ClaimedJob claimed = store.claim("sms", "c", Duration.ofSeconds(30), Duration.ZERO).await()
                .atMost(TestRedis.TIMEOUT);
        String event = JobEvent.json(id, "sms", JobStatus.DEAD, 1, null, "x");
        store.finish(claimed, JobStatus.DEAD, null, "x", event, Duration.ZERO, Duration.ZERO).await()
                .atMost(TestRedis.TIMEOUT);
        long beforeRevive = redis.now();
        await().atMost(TestRedis.TIMEOUT).until(() -> redis.now() > beforeRevive);

        boolean revived = redis.deadLetters.revive(id).await().atMost(TestRedis.TIMEOUT);

        assertThat(revived).isTrue();
        assertThat(since("sms", beforeRevive + 1)).containsExactly(new InboxLog.Entry(id, INBOX_A));
        assertThat(redis.send(Command.XLEN, "test:{q:sms}:inboxes").toLong()).isEqualTo(2);
    }

    private static NewJob job(String id, String replyTo) {
        return new NewJob(id, "sms", Priority.NORMAL, 1, null, replyTo);
    }

    private static void enqueue(String queue, NewJob... jobs) {
        store.enqueue(queue, List.of(jobs), 0).await().atMost(TestRedis.TIMEOUT);
    }

    private static List<InboxLog.Entry> since(String queue, long millis) {
        return log.since(queue, millis, 10_000).await().atMost(TestRedis.TIMEOUT);
    }

    private static List<Response> xrange(String key) {
        List<Response> entries = new ArrayList<>();
        redis.send(Command.XRANGE, key, "-", "+").forEach(entries::add);
        return entries;
    }
}
