package io.livequeue.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livequeue.core.rdb.ClaimedJob;
import io.livequeue.core.rdb.NewJob;
import io.livequeue.core.rdb.TestRedis;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pub/sub envelope: format/parse round trips, rejection of bad input, and the messages the Lua scripts publish. */
class EventMessageTest {

    private static final String ID = "0b6a3a9e-1f0c-4c55-9f59-2d7c3f1e8a10";
    private static final String INBOX = "AAAAAAAAAAAAAAAAAAAAAA-inbox_1";
    private static final String EVENT = JobEvent.json(ID, "echo", JobStatus.COMPLETED, 1, "{\"n\":[1,{\"m\":2}]}", null);

    private static TestRedis redis;
    private RedisConnection subscriber;
    private static final String SMS_CHANNEL = "test:{q:sms}:events";

    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> smsMessages = new LinkedBlockingQueue<>();

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void subscribe() throws InterruptedException {
        redis.flushAll();
        BlockingQueue<String> confirmations = new LinkedBlockingQueue<>();
        subscriber = redis.redis.connect().await().atMost(TestRedis.TIMEOUT);
        subscriber.handler(push -> {
            String kind = push.get(0).toString();
            if ("message".equals(kind) && SMS_CHANNEL.equals(push.get(1).toString())) {
                smsMessages.add(push.get(2).toString());
            } else if ("message".equals(kind)) {
                messages.add(push.get(2).toString());
            } else if ("subscribe".equals(kind)) {
                confirmations.add(push.get(1).toString());
            }
        });
        String channel = redis.defaultKeys().events();
        subscriber.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).await().atMost(TestRedis.TIMEOUT);
        assertThat(confirmations.poll(5, TimeUnit.SECONDS)).as("subscription confirmed").isEqualTo(channel);
        subscriber.send(Request.cmd(Command.SUBSCRIBE).arg(SMS_CHANNEL)).await().atMost(TestRedis.TIMEOUT);
        assertThat(confirmations.poll(5, TimeUnit.SECONDS)).as("subscription confirmed").isEqualTo(SMS_CHANNEL);
    }

    @AfterEach
    void unsubscribe() {
        subscriber.close().await().atMost(TestRedis.TIMEOUT);
    }

    @Test
    void formatThenParseRoundTripsEveryFieldWithReplyTo() {
        String text = EventMessage.format(7, ID, JobStatus.COMPLETED, INBOX, EVENT);

        EventMessage message = EventMessage.parse(text);

        assertThat(message).isEqualTo(new EventMessage(7, ID, JobStatus.COMPLETED, INBOX, EVENT));
        assertThat(message.eventJson()).isEqualTo(EVENT);
    }

    @Test
    void formatThenParseRoundTripsWithoutReplyTo() {
        String text = EventMessage.format(2, ID, JobStatus.ACTIVE, null, EVENT);

        assertThat(text).contains("\"replyTo\":null");
        assertThat(EventMessage.parse(text)).isEqualTo(new EventMessage(2, ID, JobStatus.ACTIVE, null, EVENT));
    }

    @Test
    void eventJsonIsExactlyTheEventObjectTextEvenWithNestedBraces() {
        String event = "{\"event\":\"job\",\"result\":{\"text\":\"}{ braces }\",\"deep\":{\"x\":{}}},\"error\":null}";

        EventMessage message = EventMessage.parse(EventMessage.format(3, ID, JobStatus.COMPLETED, INBOX, event));

        assertThat(message.eventJson()).isEqualTo(event);
    }

    @Test
    void parseRejectsTextThatIsNotJson() {
        assertThatThrownBy(() -> EventMessage.parse("not json at all"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventMessage.parse(""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventMessage.parse("[1,2,3]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("event message is not a JSON object");
    }

    @Test
    void parseRejectsAnEnvelopeWithoutEvent() {
        String text = "{\"v\":1,\"id\":\"" + ID + "\",\"status\":\"queued\",\"replyTo\":null}";

        assertThatThrownBy(() -> EventMessage.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("event message has no event");
    }

    @Test
    void parseRejectsAnEnvelopeMissingIdOrVersion() {
        String noId = "{\"v\":1,\"status\":\"queued\",\"replyTo\":null,\"event\":{}}";
        String noVersion = "{\"id\":\"" + ID + "\",\"status\":\"queued\",\"replyTo\":null,\"event\":{}}";
        String versionNotANumber = "{\"v\":\"1\",\"id\":\"" + ID + "\",\"status\":\"queued\",\"replyTo\":null,"
                + "\"event\":{}}";

        for (String text : List.of(noId, noVersion, versionNotANumber)) {
            assertThatThrownBy(() -> EventMessage.parse(text))
                    .as(text)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("malformed event message");
        }
    }

    @Test
    void parseRejectsAnEventThatIsNotAnObject() {
        String eventIsString = "{\"v\":1,\"id\":\"" + ID + "\",\"status\":\"queued\",\"replyTo\":null,\"event\":\"x\"}";

        assertThatThrownBy(() -> EventMessage.parse(eventIsString))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("malformed event message");
    }

    /**
     * What a newer release may publish (a status or an event kind this version does not know, an envelope field it
     * does not know, no status at all for an event that is no status change) is read, not refused: routed on v, id
     * and replyTo, its event text kept exactly, the status UNKNOWN.
     */
    @Test
    void parseReadsWhatANewerReleasePublishesWithTheStatusUnknownAndTheEventAsItIs() {
        String archived = "{\"event\":\"job\",\"id\":\"" + ID + "\",\"status\":\"archived\",\"archivedAt\":5,\"v\":2}";
        String progress = "{\"event\":\"progress\",\"id\":\"" + ID + "\",\"percent\":40,\"v\":3}";
        String unknownStatus = EventMessage.format(2, ID, JobStatus.QUEUED, INBOX, archived)
                .replace("\"status\":\"queued\"", "\"status\":\"archived\"");
        String reordered = "{\"id\":\"" + ID + "\",\"v\":2,\"status\":\"archived\",\"replyTo\":\"" + INBOX
                + "\",\"event\":" + archived + "}";
        String noStatus = "{\"v\":3,\"id\":\"" + ID + "\",\"replyTo\":\"" + INBOX + "\",\"event\":" + progress + "}";
        String fieldsAfterTheEvent = "{\"v\":3,\"id\":\"" + ID + "\",\"status\":\"active\",\"replyTo\":\"" + INBOX
                + "\",\"event\":" + progress + ",\"kind\":\"progress\",\"more\":{\"a\":[1]}}";

        assertThat(EventMessage.parse(unknownStatus)).isEqualTo(new EventMessage(2, ID, JobStatus.UNKNOWN, INBOX,
                archived));
        assertThat(EventMessage.parse(reordered)).isEqualTo(new EventMessage(2, ID, JobStatus.UNKNOWN, INBOX,
                archived));
        assertThat(EventMessage.parse(noStatus)).isEqualTo(new EventMessage(3, ID, JobStatus.UNKNOWN, INBOX,
                progress));
        assertThat(EventMessage.parse(fieldsAfterTheEvent)).isEqualTo(new EventMessage(3, ID, JobStatus.ACTIVE, INBOX,
                progress));
        assertThat(JobStatus.UNKNOWN.isFinal()).as("nothing is forgotten on a status one does not understand")
                .isFalse();
    }

    /**
     * One envelope of a newer release's status in a message costs none of the others: the known one is read as
     * always, the unknown one is passed on (status UNKNOWN, event text as it came); both in the scripts' shape (the
     * scan) and in another (Jackson).
     */
    @Test
    void parseAllKeepsTheKnownEventBesideOneOfAStatusItDoesNotKnow() {
        String other = "0b6a3a9e-1f0c-4c55-9f59-2d7c3f1e8a11";
        String archived = "{\"event\":\"job\",\"id\":\"" + other + "\",\"type\":\"echo\",\"status\":\"archived\","
                + "\"attempts\":0,\"result\":null,\"error\":null,\"archivedAt\":1764100009000,\"v\":2}";
        String completed = JobEvent.json(ID, "echo", JobStatus.COMPLETED, 1, "{\"n\":1}", null, 3);
        String scriptedArchived = "{\"v\":2,\"id\":\"" + other + "\",\"status\":\"archived\",\"replyTo\":null,"
                + "\"createdAt\":1764100000001,\"startedAt\":0,\"finishedAt\":0,\"event\":" + archived + "}";
        String scriptedCompleted = "{\"v\":3,\"id\":\"" + ID + "\",\"status\":\"completed\",\"replyTo\":\"" + INBOX
                + "\",\"createdAt\":1764100000001,\"startedAt\":1764100000002,\"finishedAt\":1764100000003,"
                + "\"event\":" + completed + "}";
        // the same with a field this version does not know, which the scan declines and Jackson reads
        String otherShape = scriptedArchived.replace("{\"v\":2,", "{\"v\":2,\"queue\":\"default\",");

        EventMessage expectedArchived = new EventMessage(2, other, JobStatus.UNKNOWN, null, 1764100000001L, 0, 0,
                archived);
        EventMessage expectedCompleted = new EventMessage(3, ID, JobStatus.COMPLETED, INBOX, 1764100000001L,
                1764100000002L, 1764100000003L, completed);
        assertThat(EventMessage.parseAll("[" + scriptedArchived + "," + scriptedCompleted + "]"))
                .containsExactly(expectedArchived, expectedCompleted);
        assertThat(EventMessage.parseAll("[" + scriptedCompleted + "," + scriptedArchived + "]"))
                .containsExactly(expectedCompleted, expectedArchived);
        assertThat(EventMessage.parseAll("[" + otherShape + "," + scriptedCompleted + "]"))
                .containsExactly(expectedArchived, expectedCompleted);
    }

    /** An element of a batch that cannot be routed at all is left out alone; the others are read, in order. */
    @Test
    void parseAllSkipsAnElementItCannotRouteAndKeepsTheOthers() {
        String first = EventMessage.format(2, ID, JobStatus.ACTIVE, INBOX, EVENT);
        String second = EventMessage.format(3, ID, JobStatus.COMPLETED, null, EVENT);
        String noId = "{\"v\":9,\"status\":\"progress\",\"event\":{\"event\":\"progress\"}}";
        String eventNotAnObject = "{\"v\":9,\"id\":\"" + ID + "\",\"event\":[1,{\"a\":2}]}";

        assertThat(EventMessage.parseAll("[" + first + "," + noId + "," + eventNotAnObject + "," + second + "]"))
                .containsExactly(EventMessage.parse(first), EventMessage.parse(second));
        assertThat(EventMessage.parseAll("[" + noId + "]")).isEmpty();
    }

    @Test
    void parseRejectsATruncatedEnvelope() {
        String full = EventMessage.format(1, ID, JobStatus.COMPLETED, null, EVENT);
        String truncated = full.substring(0, full.length() - 1);

        assertThatThrownBy(() -> EventMessage.parse(truncated)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parseAllReadsALoneEnvelopeAndAnArrayOfThemInOrder() {
        String other = JobEvent.json(INBOX, "echo", JobStatus.ACTIVE, 1, null, null);
        String first = EventMessage.format(2, ID, JobStatus.ACTIVE, INBOX, other);
        String second = EventMessage.format(3, ID, JobStatus.COMPLETED, null, EVENT);

        assertThat(EventMessage.parseAll(first)).containsExactly(EventMessage.parse(first));
        assertThat(EventMessage.parseAll("[" + first + "," + second + "]")).containsExactly(
                new EventMessage(2, ID, JobStatus.ACTIVE, INBOX, other),
                new EventMessage(3, ID, JobStatus.COMPLETED, null, EVENT));
    }

    @Test
    void parseAllRejectsAnEmptyArrayAndArraysOfOtherThings() {
        String envelope = EventMessage.format(1, ID, JobStatus.QUEUED, null, EVENT);

        for (String text : List.of("[]", "[1,2]", "[" + envelope + ",1]", "[" + envelope, "[" + envelope + "]x")) {
            assertThatThrownBy(() -> EventMessage.parseAll(text)).as(text)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aBatchPublishesItsChangesInOneMessageOfAtMostAHundredInOrder() throws InterruptedException {
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            jobs.add(new NewJob(UUID.randomUUID().toString(), "echo", Priority.NORMAL, 1, "{\"i\":" + i + "}", INBOX));
        }
        redis.store.enqueue(QueueNames.DEFAULT, jobs, 0).await().atMost(TestRedis.TIMEOUT);

        List<EventMessage> first = EventMessage.parseAll(nextMessage());
        List<EventMessage> second = EventMessage.parseAll(nextMessage());

        assertThat(first).hasSize(100);
        assertThat(second).hasSize(50);
        List<EventMessage> all = new ArrayList<>(first);
        all.addAll(second);
        assertThat(all).extracting(EventMessage::jobId).containsExactlyElementsOf(jobs.stream().map(NewJob::id).toList());
        assertThat(all).extracting(EventMessage::status).containsOnly(JobStatus.QUEUED);
        assertThat(messages).isEmpty();
    }

    @Test
    void parsesTheQueuedMessagePublishedByEnqueueLua() throws InterruptedException {
        redis.store.enqueue(QueueNames.DEFAULT, List.of(new NewJob(ID, "echo", Priority.NORMAL, 3, "{\"a\":1}", INBOX)), 0)
                .await().atMost(TestRedis.TIMEOUT);

        EventMessage queued = EventMessage.parse(nextMessage());
        long createdAt = redis.store.find(ID).await().atMost(TestRedis.TIMEOUT).orElseThrow().createdAt();

        assertThat(queued).isEqualTo(new EventMessage(1, ID, JobStatus.QUEUED, INBOX, createdAt, 0, 0,
                JobEvent.json(ID, "echo", JobStatus.QUEUED, 0, null, null, 1)));
    }

    @Test
    void parsesTheActiveAndCompletedMessagesPublishedByClaimLua() throws InterruptedException {
        redis.store.enqueue(QueueNames.DEFAULT, List.of(new NewJob(ID, "echo", Priority.HIGH, 3, "{\"a\":1}", null)), 0)
                .await().atMost(TestRedis.TIMEOUT);
        ClaimedJob claimed = redis.store.claim(QueueNames.DEFAULT, "consumer-1", Duration.ofSeconds(30), Duration.ZERO).await()
                .atMost(TestRedis.TIMEOUT);

        EventMessage active = EventMessage.parse(nextMessage());

        assertThat(active).isEqualTo(new EventMessage(2, ID, JobStatus.ACTIVE, null, claimed.createdAt(),
                claimed.startedAt(), 0, JobEvent.json(ID, "echo", JobStatus.ACTIVE, 1, null, null, 2)));

        String completedEvent = JobEvent.json(ID, "echo", JobStatus.COMPLETED, 1, "{\"a\":1}", null);
        Boolean recorded = redis.store.finish(claimed, JobStatus.COMPLETED, "{\"a\":1}", null, completedEvent,
                Duration.ZERO, Duration.ZERO).await().atMost(TestRedis.TIMEOUT);
        EventMessage completed = EventMessage.parse(nextMessage());

        assertThat(recorded).isTrue();
        long finishedAt = redis.store.find(ID).await().atMost(TestRedis.TIMEOUT).orElseThrow().finishedAt();
        // the consumer's event goes in without "v"; the script appends the version it gave the change
        assertThat(completed).isEqualTo(new EventMessage(3, ID, JobStatus.COMPLETED, null, claimed.createdAt(),
                claimed.startedAt(), finishedAt, JobEvent.json(ID, "echo", JobStatus.COMPLETED, 1, "{\"a\":1}", null,
                3)));
        assertThat(messages).isEmpty();
    }

    @Test
    void jobWithoutReplyToPublishesNothingWhenQueued() throws InterruptedException {
        redis.store.enqueue(QueueNames.DEFAULT, List.of(new NewJob(ID, "echo", Priority.LOW, 1, null, null)), 0)
                .await().atMost(TestRedis.TIMEOUT);
        redis.store.claim(QueueNames.DEFAULT, "consumer-1", Duration.ofSeconds(30), Duration.ZERO).await().atMost(TestRedis.TIMEOUT);

        // the first message on the channel is the claim's: enqueue published no 'queued' one
        EventMessage first = EventMessage.parse(nextMessage());

        assertThat(first.status()).isEqualTo(JobStatus.ACTIVE);
        assertThat(first.replyTo()).isNull();
        assertThat(first.version()).isEqualTo(2);
    }

    @Test
    void aJobOfANamedQueuePublishesOnItsQueuesChannelOnly() throws InterruptedException {
        String smsId = Ids.newJobId("sms");
        redis.store.enqueue("sms", List.of(new NewJob(smsId, "sms", Priority.NORMAL, 1, null, INBOX)), 0)
                .await().atMost(TestRedis.TIMEOUT);
        redis.store.enqueue(QueueNames.DEFAULT, List.of(new NewJob(ID, "echo", Priority.NORMAL, 1, null, INBOX)), 0)
                .await().atMost(TestRedis.TIMEOUT);

        String onSms = smsMessages.poll(5, TimeUnit.SECONDS);
        // messages arrive in the order they were published: had the sms job's gone to default's channel too, it
        // would come first there
        EventMessage onDefault = EventMessage.parse(nextMessage());

        assertThat(onSms).as("a message on the sms channel within 5 s").isNotNull();
        assertThat(EventMessage.parse(onSms).jobId()).isEqualTo(smsId);
        assertThat(onDefault.jobId()).isEqualTo(ID);
        assertThat(smsMessages).isEmpty();
    }

    private String nextMessage() throws InterruptedException {
        String message = messages.poll(5, TimeUnit.SECONDS);
        assertThat(message).as("a message on the events channel within 5 s").isNotNull();
        return message;
    }
}
