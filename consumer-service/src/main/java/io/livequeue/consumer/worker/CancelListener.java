package io.livequeue.consumer.worker;

import io.livequeue.core.rdb.Keyspace;
import io.livequeue.core.rdb.PubSub;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Hears, as they are asked for, the cancellations of jobs that run: one Redis connection subscribed to the cancel
 * channel of every queue this consumer listens to ({@code cancel.lua} publishes a running job's id there), SUBSCRIBE or
 * on Cluster SSUBSCRIBE, as the scripts publish ({@link PubSub}). An id that one of this consumer's workers runs is
 * cancelled there ({@link RunningJobs#cancel}); the others are another consumer's. When the connection is lost it
 * subscribes again with back-off; meanwhile the heartbeat, which names this consumer's cancelled jobs once a beat, is
 * the safety net (a cancel then takes up to a heartbeat instead of milliseconds).
 */
@Singleton
public class CancelListener {

    private static final Logger LOG = Logger.getLogger(CancelListener.class);
    private static final long MIN_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5000;

    private final Redis redis;
    private final Vertx vertx;
    private final Keyspace keyspace;
    private final PubSub pubsub;
    private final RunningJobs running;
    private final Map<String, Boolean> confirmed = new ConcurrentHashMap<>();
    private List<String> channels = List.of();
    private volatile RedisConnection connection;
    private volatile boolean stopped = true;
    private long backoff = MIN_BACKOFF_MS;

    CancelListener(Redis redis, Vertx vertx, Keyspace keyspace, PubSub pubsub, RunningJobs running) {
        this.redis = redis;
        this.vertx = vertx;
        this.keyspace = keyspace;
        this.pubsub = pubsub;
        this.running = running;
    }

    /** Starts listening to the cancel channels of {@code queues}. */
    void start(List<String> queues) {
        channels = queues.stream().map(queue -> keyspace.queue(queue).cancels()).toList();
        stopped = false;
        connect();
    }

    void stop() {
        stopped = true;
        RedisConnection current = connection;
        connection = null;
        if (current != null) {
            current.closeAndForget();
        }
    }

    /** Whether Redis confirmed the subscription to every channel. */
    public boolean isListening() {
        return connection != null && channels.stream().allMatch(c -> confirmed.getOrDefault(c, false));
    }

    private void connect() {
        if (stopped) {
            return;
        }
        redis.connect().subscribe().with(conn -> {
            if (stopped) {
                conn.closeAndForget();
                return;
            }
            connection = conn;
            conn.handler(push -> onPush(conn, push));
            conn.exceptionHandler(e -> lost(conn, e.getMessage()));
            conn.endHandler(() -> lost(conn, "connection closed"));
            for (String channel : channels) {
                // the client's own constant: only it knows the command is answered by a push, and its key for Cluster
                conn.send(Request.cmd(pubsub == PubSub.SHARDED ? Command.SSUBSCRIBE : Command.SUBSCRIBE).arg(channel))
                        .subscribe().with(ignored -> { }, e -> lost(conn, e.getMessage()));
            }
        }, e -> retryLater(e.getMessage()));
    }

    private void onPush(RedisConnection conn, Response push) {
        if (push == null || (push.type() != ResponseType.PUSH && push.type() != ResponseType.MULTI) || push.size() < 3
                || push.get(0) == null) {
            return;
        }
        String type = push.get(0).toString();
        String channel = push.get(1) == null ? "" : push.get(1).toString();
        if (type.equals(pubsub.messageType())) {
            String id = push.get(2).toString();
            if (running.cancel(id)) {
                LOG.infof("job %s: cancellation asked for, its handler is told", id);
            }
        } else if (type.equalsIgnoreCase(pubsub.subscribeCommand())) {
            confirmed.put(channel, true);
            backoff = MIN_BACKOFF_MS;
        } else if (type.equals("unsubscribe") || type.equals("sunsubscribe")) {
            lost(conn, "Redis ended the subscription to " + channel);
        }
    }

    private void lost(RedisConnection conn, String why) {
        if (connection != conn) {
            return;
        }
        connection = null;
        confirmed.clear();
        conn.closeAndForget();
        retryLater(why);
    }

    private void retryLater(String why) {
        if (stopped) {
            return;
        }
        LOG.warnf("cancel channel subscription down (%s); subscribing again in %d ms", why, backoff);
        vertx.setTimer(backoff, id -> connect());
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
    }
}
