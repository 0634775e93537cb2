package io.livequeue.core.rdb;

import io.livequeue.testing.RedisServer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;

/** A private redis-server plus the Vert.x Redis client and {@link JobStore} the core tests use against it. */
public final class TestRedis implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    public final RedisServer server;
    public final Vertx vertx;
    public final Redis redis;
    public final JobStore store;

    private TestRedis(RedisServer server) {
        this.server = server;
        this.vertx = Vertx.vertx();
        this.redis = Redis.createClient(vertx, server.url());
        this.store = new JobStore(redis, new RedisKeys("test"), Duration.ofSeconds(2));
    }

    public static TestRedis start() {
        return new TestRedis(RedisServer.start());
    }

    /** Sends one raw command and waits for its reply. */
    public Response send(Command command, Object... args) {
        Request request = Request.cmd(command);
        for (Object arg : args) {
            request.arg(String.valueOf(arg));
        }
        return redis.send(request).await().atMost(TIMEOUT);
    }

    public void flushAll() {
        send(Command.FLUSHALL);
    }

    @Override
    public void close() {
        redis.close();
        vertx.closeAndAwait();
        server.close();
    }
}
