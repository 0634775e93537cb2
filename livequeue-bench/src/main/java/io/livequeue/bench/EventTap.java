package io.livequeue.bench;

import io.livequeue.core.EventMessage;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bench's own subscription to the events channel, where every status change of every job is published (by the
 * Lua scripts, in the same step as the change), with plain or sharded pub/sub, whichever the services use. A
 * subscribed connection can do nothing else, so it has a client of its own. Each event is stamped with its arrival
 * time before anything else is done with it, read ({@link EventMessage#parseAll}) and handed to the current
 * {@link Listener} on the connection's event loop; a run swaps listeners rather than subscribing again.
 */
final class EventTap implements AutoCloseable {

    /** Called on one event loop thread, in publication order. */
    interface Listener {
        void onEvent(EventMessage event, long arrivedNanos);
    }

    private final Redis client;
    private final RedisConnection connection;
    private final AtomicLong malformed = new AtomicLong();
    private volatile Listener listener = (event, nanos) -> {
    };
    private volatile String lost;

    private EventTap(Redis client, RedisConnection connection) {
        this.client = client;
        this.connection = connection;
        connection.handler(this::onPush);
        connection.exceptionHandler(e -> lost = String.valueOf(e.getMessage()));
        connection.endHandler(v -> lost = lost == null ? "the connection closed" : lost);
    }

    static EventTap open(Vertx vertx, BenchOptions options, String channel) throws StackNotReady,
            InterruptedException {
        Redis client = Redis.createClient(vertx, DirectRedis.connectOptions(options).setMaxPoolSize(1));
        try {
            RedisConnection connection = client.connect().toCompletionStage().toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            EventTap tap = new EventTap(client, connection);
            connection.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).toCompletionStage().toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            // the services may publish with SPUBLISH instead (livequeue.redis.sharded-pubsub): listening to both
            // means the bench needs no setting of its own to match them; a Redis before 7.0 refuses this one
            connection.send(Request.cmd(Command.SSUBSCRIBE).arg(channel));
            return tap;
        } catch (ExecutionException | TimeoutException e) {
            client.close();
            throw new StackNotReady("cannot reach Redis at " + options.redisWhere() + " (subscribing to " + channel
                    + "): " + (e.getCause() == null ? "no answer within 5 s" : e.getCause().getMessage()));
        }
    }

    void listen(Listener next) {
        listener = next;
    }

    /** Why the subscription ended before the run did (events after that are missing), or null. */
    String lost() {
        return lost;
    }

    long malformed() {
        return malformed.get();
    }

    /**
     * A pushed message is {@code ["message", channel, payload]} ({@code "smessage"} for sharded pub/sub), in RESP2
     * and RESP3 alike; the subscriptions' confirmations arrive here too and are skipped.
     */
    private void onPush(Response push) {
        long arrived = System.nanoTime();
        if (push == null || push.size() < 3) {
            return;
        }
        String type = push.get(0).toString();
        if (!"message".equals(type) && !"smessage".equals(type)) {
            return;
        }
        List<EventMessage> events;
        try {
            events = EventMessage.parseAll(push.get(2).toString());
        } catch (IllegalArgumentException e) {
            malformed.incrementAndGet();
            return;
        }
        for (EventMessage event : events) {
            listener.onEvent(event, arrived);
        }
    }

    /** Ends the subscription (waiting for that, at most 5 s): nothing arriving later reaches a listener. */
    @Override
    public void close() {
        lost = lost == null ? "closed by the bench" : lost;
        try {
            connection.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing is best effort: the run is over either way
        } finally {
            client.close();
        }
    }
}
