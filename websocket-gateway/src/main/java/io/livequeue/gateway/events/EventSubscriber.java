package io.livequeue.gateway.events;

import io.livequeue.core.EventMessage;
import io.livequeue.core.config.StorageConfig;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.PubSub;
import io.livequeue.core.rdb.RedisKeys;
import io.livequeue.gateway.socket.ClientRegistry;
import io.quarkus.arc.All;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The gateway's one Redis subscription: every status change of every job arrives here once and is handed to every
 * {@link JobEventListener} (the sockets' routing, the dashboard's statistics). It holds one connection of its own;
 * when that connection ends (Redis restarted, network lost) it connects and subscribes again with back-off, readiness
 * is down meanwhile, and what clients missed is caught up from the jobs themselves. Sockets stay open throughout.
 *
 * <p>It listens the way the scripts publish ({@link PubSub}): SUBSCRIBE, or on Redis Cluster SSUBSCRIBE (sharded
 * pub/sub, push messages of type {@code smessage}). On Cluster, {@code redis.connect()} holds a connection to every
 * master, the handlers are set on all of them, and the SSUBSCRIBE goes to the master that owns the channel's slot. When
 * that slot moves (resharding, failover) Redis ends the subscription with an {@code sunsubscribe} push we did not ask
 * for: that is handled like a lost connection. Subscribed means Redis confirmed the subscription.
 */
@Singleton
public class EventSubscriber {

    private static final Logger LOG = Logger.getLogger(EventSubscriber.class);
    private static final long MIN_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5000;
    private static final int CATCH_UP_CHUNK = 500;

    private final Redis redis;
    private final JobStore store;
    private final Vertx vertx;
    private final RedisKeys keys;
    private final ClientRegistry registry;
    private final List<JobEventListener> listeners;
    private final PubSub pubsub;
    private final long confirmTimeoutMs;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private volatile boolean stopped;
    private volatile RedisConnection connection;
    private long backoff = MIN_BACKOFF_MS;
    private long resubscriptions = -1;

    EventSubscriber(Redis redis, JobStore store, Vertx vertx, RedisKeys keys, ClientRegistry registry,
            @All List<JobEventListener> listeners, PubSub pubsub, StorageConfig storage) {
        this.redis = redis;
        this.store = store;
        this.vertx = vertx;
        this.keys = keys;
        this.registry = registry;
        this.listeners = List.copyOf(listeners);
        this.pubsub = pubsub;
        this.confirmTimeoutMs = Math.max(1, storage.commandTimeout().toMillis());
    }

    void start(@Observes StartupEvent event) {
        connect();
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        RedisConnection current = connection;
        connection = null; // its end handler must not close it a second time
        if (current != null) {
            current.closeAndForget();
        }
    }

    public boolean isSubscribed() {
        return subscribed.get();
    }

    /** How often the subscription had to be made again since start. */
    public long resubscriptions() {
        return Math.max(0, resubscriptions);
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
            // a pub/sub command is answered by a push (the confirmation), not by a reply: the send completes once
            // written. No confirmation in time (say the SSUBSCRIBE went to a node connection without our handler
            // because the slot moved meanwhile) counts as a lost subscription.
            conn.send(Request.cmd(subscribeCommand()).arg(keys.events())).subscribe().with(
                    sent -> vertx.setTimer(confirmTimeoutMs, id -> {
                        if (connection == conn && !subscribed.get()) {
                            lost(conn, pubsub.subscribeCommand() + " not confirmed within " + confirmTimeoutMs + " ms");
                        }
                    }), e -> lost(conn, e.getMessage()));
        }, e -> retryLater(e.getMessage()));
    }

    /**
     * The client's own constant, not {@code Command.create(name)}: only the predefined command knows that it is a
     * pub/sub command (answered by a push) and where its key (the channel) is, which the Cluster client routes by.
     */
    private Command subscribeCommand() {
        return pubsub == PubSub.SHARDED ? Command.SSUBSCRIBE : Command.SUBSCRIBE;
    }

    private void confirmed(RedisConnection conn) {
        if (connection != conn || !subscribed.compareAndSet(false, true)) {
            return;
        }
        // a subscription that worked is made again at once when lost (a failover: the services that publish move
        // to the new master as fast as we do, and what is published before we are back reaches no one)
        backoff = 0;
        LOG.infof("subscribed to %s (%s)", keys.events(), pubsub.subscribeCommand());
        if (++resubscriptions > 0) {
            catchUp();
        }
    }

    /**
     * Events published while the subscription was down are gone; what clients may have missed is read back from the
     * jobs themselves and routed to the clients (the version check drops what a client already has); only to them:
     * these are states read back, not news, so the other listeners (the dashboard's throughput) do not get them.
     */
    private void catchUp() {
        List<String> jobs = List.copyOf(registry.knownJobs());
        for (int from = 0; from < jobs.size(); from += CATCH_UP_CHUNK) {
            store.findAll(jobs.subList(from, Math.min(jobs.size(), from + CATCH_UP_CHUNK))).subscribe().with(
                    found -> found.forEach(job -> registry.route(new EventMessage(job.version(), job.id(),
                            job.status(), job.replyTo(), job.eventJson()))),
                    e -> LOG.warnf("catch-up after re-subscribing failed: %s", e.getMessage()));
        }
        LOG.infof("re-subscribed; caught up %d jobs watched by this gateway's clients", jobs.size());
    }

    private void lost(RedisConnection conn, String why) {
        if (connection != conn) {
            return; // an old connection reporting late
        }
        connection = null;
        subscribed.set(false);
        conn.closeAndForget();
        retryLater(why);
    }

    private void retryLater(String why) {
        if (stopped) {
            return;
        }
        LOG.warnf("event subscription down (%s); subscribing again in %d ms", why, backoff);
        vertx.setTimer(Math.max(1, backoff), id -> connect());
        backoff = backoff == 0 ? MIN_BACKOFF_MS : Math.min(MAX_BACKOFF_MS, backoff * 2);
    }

    /**
     * A push: {@code ["message" | "smessage", channel, payload]}, the confirmation {@code ["subscribe" | "ssubscribe",
     * channel, count]}, or {@code ["unsubscribe" | "sunsubscribe", channel, count]} when Redis ended the subscription
     * (on Cluster: the channel's slot moved to another node); the same in RESP2 and RESP3. An error arriving here is
     * the answer to the subscribe command (e.g. {@code MOVED} while the client's slot map is stale).
     */
    private void onPush(RedisConnection conn, Response push) {
        if (push == null) {
            return;
        }
        if (push.type() == ResponseType.ERROR) {
            lost(conn, pubsub.subscribeCommand() + " refused: " + push);
            return;
        }
        if ((push.type() != ResponseType.PUSH && push.type() != ResponseType.MULTI) || push.size() < 3
                || push.get(0) == null) {
            return;
        }
        String type = push.get(0).toString();
        if (!pubsub.messageType().equals(type)) {
            if (type.equalsIgnoreCase(pubsub.subscribeCommand())) {
                confirmed(conn);
            } else if (type.equals("unsubscribe") || type.equals("sunsubscribe")) {
                lost(conn, "Redis ended the subscription (" + type + ")");
            }
            return;
        }
        String text = push.get(2).toString();
        List<EventMessage> messages;
        try {
            messages = EventMessage.parseAll(text);
        } catch (IllegalArgumentException e) {
            LOG.warnf("ignored a malformed message on %s: %s", keys.events(), e.getMessage());
            return;
        }
        for (EventMessage message : messages) {
            for (JobEventListener listener : listeners) {
                try {
                    listener.onEvent(message);
                } catch (RuntimeException e) {
                    // one listener failing must not keep the event from the others (the sockets above all)
                    LOG.errorf(e, "%s failed on an event of job %s", listener.getClass().getSimpleName(),
                            message.jobId());
                }
            }
        }
    }
}
