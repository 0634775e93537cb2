package io.livequeue.core.rdb;

import io.livequeue.core.QueueNames;
import io.livequeue.testing.DocumentedAcl;
import io.livequeue.testing.RedisServer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A private redis-server plus the Vert.x Redis client and the storage classes the core tests use against it, all
 * under the key prefix {@code test}. The storage classes run as the ACL user of {@code docs/redis-acl.conf} (its
 * patterns moved to the prefix), the one operators are told to create, and the server lets no one in anonymously: a
 * command that the protocol uses but the documented user may not run fails every test that reaches it. The test's own
 * commands ({@link #send}, {@link #flushAll}, …) run as an administrator.
 */
public final class TestRedis implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    public static final String PREFIX = "test";
    public static final String ADMIN = "test-admin";

    public final RedisServer server;
    public final Vertx vertx;
    /** The client of the storage classes: logged in as the documented ACL user. */
    public final Redis redis;
    /** The test's own client: logged in as an administrator who may run anything. */
    public final Redis admin;
    private final String password;
    public final Keyspace keyspace;
    public final JobStore store;
    public final Queues queues;
    public final DeadLetters deadLetters;
    public final InboxLog inboxLog;
    public final Inspector inspector;

    private TestRedis(RedisServer server, String password, String adminPassword) {
        this.server = server;
        this.password = password;
        this.vertx = Vertx.vertx();
        this.redis = Redis.createClient(vertx, server.url(DocumentedAcl.USER, password));
        this.admin = Redis.createClient(vertx, server.url(ADMIN, adminPassword));
        this.keyspace = new Keyspace(PREFIX);
        this.store = new JobStore(redis, keyspace, COMMAND_TIMEOUT, PubSub.PLAIN);
        this.queues = new Queues(redis, keyspace, COMMAND_TIMEOUT);
        this.deadLetters = new DeadLetters(redis, store, COMMAND_TIMEOUT);
        this.inboxLog = new InboxLog(redis, keyspace, COMMAND_TIMEOUT);
        this.inspector = new Inspector(redis, keyspace, COMMAND_TIMEOUT);
    }

    public static TestRedis start() {
        String password = secret();
        String adminPassword = secret();
        RedisServer server = RedisServer.startSecured(List.of(DocumentedAcl.line(PREFIX, password),
                "user " + ADMIN + " on >" + adminPassword + " ~* &* +@all"), null);
        return new TestRedis(server, password, adminPassword);
    }

    /** The address of the server with the credentials of the documented ACL user, as a service would have it. */
    public String url() {
        return server.url(DocumentedAcl.USER, password);
    }

    private static String secret() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The keys of {@code queue}. */
    public RedisKeys keys(String queue) {
        return keyspace.queue(queue);
    }

    /** The keys of the {@code default} queue. */
    public RedisKeys defaultKeys() {
        return keyspace.queue(QueueNames.DEFAULT);
    }

    /** Sends one raw command as the administrator and waits for its reply. */
    public Response send(Command command, Object... args) {
        Request request = Request.cmd(command);
        for (Object arg : args) {
            request.arg(String.valueOf(arg));
        }
        return admin.send(request).await().atMost(TIMEOUT);
    }

    /** The replies of a command that answers an array of strings, as strings. */
    public List<String> strings(Command command, Object... args) {
        List<String> values = new ArrayList<>();
        Response reply = send(command, args);
        if (reply != null) {
            reply.forEach(value -> values.add(value == null ? null : value.toString()));
        }
        return values;
    }

    /** Every key that matches {@code pattern}, sorted. */
    public List<String> keysMatching(String pattern) {
        return strings(Command.KEYS, pattern).stream().sorted().toList();
    }

    /** The time on the Redis clock, epoch ms. */
    public long now() {
        Response time = send(Command.TIME);
        return time.get(0).toLong() * 1000 + time.get(1).toLong() / 1000;
    }

    public void flushAll() {
        send(Command.FLUSHALL);
    }

    @Override
    public void close() {
        redis.close();
        admin.close();
        vertx.closeAndAwait();
        server.close();
    }
}
