package io.livequeue.gateway;

import io.livequeue.core.Priority;
import io.livequeue.core.config.OperatorConfig;
import io.livequeue.core.rdb.RedisKeys;
import io.livequeue.testing.TestSocket;
import io.quarkus.redis.datasource.RedisDataSource;
import java.net.URI;

/**
 * Test helpers for the operators' dashboard: operator sockets, and queue state written into Redis the way the Lua
 * scripts write it, so a test can set up any picture without a consumer.
 */
final class OperatorFixture {

    static final String TOKEN = OperatorConfig.DEV_TOKEN;

    private final URI root;
    private final RedisDataSource redis;
    private final RedisKeys keys;

    OperatorFixture(URI root, RedisDataSource redis, RedisKeys keys) {
        this.root = root;
        this.redis = redis;
        this.keys = keys;
    }

    TestSocket connect() {
        return TestSocket.connect("ws://" + root.getHost() + ":" + root.getPort() + "/dashboard/ws");
    }

    /** A socket that said hello with the right token; its snapshot is still to be read. */
    TestSocket operator() {
        return connect().send("{\"type\":\"hello\",\"token\":\"" + TOKEN + "\"}");
    }

    void flush() {
        redis.execute("FLUSHALL");
    }

    /** A job some consumer is working on: in the active set, with the consumer in its hash. */
    void active(String id, Priority priority, String consumer, long startedAt) {
        redis.execute("ZADD", keys.active(priority), Long.toString(startedAt + 4000), id);
        redis.execute("HSET", keys.job(id), "id", id, "type", "sleep", "status", "active", "priority",
                priority.wireName(), "attempts", "1", "maxAttempts", "3", "startedAt", Long.toString(startedAt),
                "createdAt", Long.toString(startedAt - 5), "consumer", consumer, "claim", "2", "v", "2");
    }

    void heartbeat(String consumer, long at) {
        redis.execute("ZADD", keys.consumers(), Long.toString(at), consumer);
    }

    /** A job whose attempts are used up, with one error per attempt. */
    void dead(String id, Priority priority, long diedAt, String errorsJson, String lastError) {
        redis.execute("ZADD", keys.dead(priority), Long.toString(diedAt), id);
        redis.execute("HSET", keys.job(id), "id", id, "type", "fail", "status", "dead", "priority",
                priority.wireName(), "attempts", "2", "maxAttempts", "2", "error", lastError, "errors", errorsJson,
                "createdAt", Long.toString(diedAt - 3000), "startedAt", Long.toString(diedAt - 10),
                "finishedAt", Long.toString(diedAt), "v", "6");
    }

    void forgetDead(String id, Priority priority) {
        redis.execute("ZREM", keys.dead(priority), id);
        redis.execute("DEL", keys.job(id));
    }

    /**
     * An envelope as the scripts build it (see prelude.lua), version {@code v}; {@code extra} is put into the client
     * event as it is (e.g. {@code ,"progress":{"percent":50,"data":null}}), or empty.
     */
    static String envelope(String id, long v, String status, long createdAt, long startedAt, long finishedAt,
            String extra) {
        return "{\"v\":" + v + ",\"id\":\"" + id + "\",\"status\":\"" + status + "\",\"replyTo\":null,\"createdAt\":"
                + createdAt + ",\"startedAt\":" + startedAt + ",\"finishedAt\":" + finishedAt + ",\"event\":{\"event\":"
                + "\"job\",\"id\":\"" + id + "\",\"type\":\"echo\",\"status\":\"" + status + "\",\"attempts\":1,"
                + "\"result\":null,\"error\":null" + extra + ",\"v\":" + v + "}}";
    }

    /** Publishes envelopes as one script call does: one message, a JSON array in the order given. */
    void publishAll(String... envelopes) {
        redis.execute("PUBLISH", keys.events(), "[" + String.join(",", envelopes) + "]");
    }

    /** Publishes a status change as the scripts do (see prelude.lua): the gateway's subscription gets it. */
    void publish(String id, String status, long createdAt, long startedAt, long finishedAt) {
        redis.execute("PUBLISH", keys.events(), "{\"v\":3,\"id\":\"" + id + "\",\"status\":\"" + status
                + "\",\"replyTo\":null,\"createdAt\":" + createdAt + ",\"startedAt\":" + startedAt + ",\"finishedAt\":"
                + finishedAt + ",\"event\":{\"event\":\"job\",\"id\":\"" + id + "\",\"type\":\"echo\",\"status\":\""
                + status + "\",\"attempts\":1,\"result\":null,\"error\":null}}");
    }
}
