package io.livequeue.gateway.events;

import io.livequeue.core.EventMessage;
import io.livequeue.core.JobStatus;
import io.livequeue.core.config.StorageConfig;
import io.livequeue.core.QueueNames;
import io.livequeue.core.rdb.Keyspace;
import io.livequeue.core.rdb.Queues;
import io.livequeue.core.rdb.PubSub;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The gateway's one Redis subscription connection: every status change of every job arrives here once and goes to every
 * {@link JobEventListener} (the socket routing, the dashboard's stats). Each queue publishes on a channel of its own
 * (in its own Cluster slot); the gateway follows {@code default} from the start and every other queue from the
 * registry, which it reads once a second, so a new queue is followed within about a second of its first job (what its
 * clients missed meanwhile is caught up, see {@link CatchUp}). It holds one connection of its own; when that
 * connection ends (Redis restarted, network lost) it connects and subscribes again with back-off, readiness is down
 * meanwhile, and every queue is caught up. Sockets stay open throughout.
 *
 * <p>It listens the way the scripts publish ({@link PubSub}): SUBSCRIBE, or on Redis Cluster SSUBSCRIBE (sharded
 * pub/sub, push messages of type {@code smessage}), one per queue. On Cluster, {@code redis.connect()} holds a
 * connection to every master, the handlers are set on all of them, and each SSUBSCRIBE goes to the master that owns its
 * channel's slot. When a slot moves (resharding, failover) Redis ends that subscription with an {@code sunsubscribe}
 * push we did not ask for: that is handled like a lost connection. Subscribed means Redis confirmed every queue's
 * subscription.
 *
 * <p>A message from a newer release (gateways are upgraded first) may hold statuses, event kinds or envelope fields
 * this version does not know: {@link EventMessage#parseAll} reads each envelope on its own, so none of them costs the
 * other events of the message. An event of an unknown status is forwarded as it is to the sockets of its job, with a
 * debug line, and treated as not final (see {@link JobStatus#UNKNOWN}); an envelope that cannot be routed at all is
 * skipped alone. Only a message that is not an envelope or an array of envelopes is dropped whole, with a warning.
 */
@Singleton
public class EventSubscriber {

    private static final Logger LOG = Logger.getLogger(EventSubscriber.class);
    private static final long MIN_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5000;
    private static final long REGISTRY_POLL_MS = 1000;
    /** Read the inbox log from this long before the last event seen: events of one queue arrive within it. */
    private static final long CATCH_UP_MARGIN_MS = 2000;

    /** A followed queue: its channel, whether Redis confirmed it, and up to when (Redis clock) events are in hand. */
    private static final class Follow {
        final String queue;
        final String channel;
        volatile boolean confirmed;
        volatile boolean everConfirmed;
        volatile long seenUntil;

        Follow(String queue, String channel) {
            this.queue = queue;
            this.channel = channel;
        }
    }

    private final Redis redis;
    private final Vertx vertx;
    private final Keyspace keyspace;
    private final Queues queues;
    private final CatchUp catchUp;
    private final List<JobEventListener> listeners;
    private final PubSub pubsub;
    private final long confirmTimeoutMs;
    private final Map<String, Follow> byChannel = new ConcurrentHashMap<>();
    private final Map<String, Follow> byQueue = new ConcurrentHashMap<>();
    private volatile boolean stopped;
    private volatile RedisConnection connection;
    private long backoff = MIN_BACKOFF_MS;
    private long resubscriptions = -1;
    private long poller = -1;

    EventSubscriber(Redis redis, Vertx vertx, Keyspace keyspace, Queues queues, CatchUp catchUp,
            @All List<JobEventListener> listeners, PubSub pubsub, StorageConfig storage) {
        this.redis = redis;
        this.vertx = vertx;
        this.keyspace = keyspace;
        this.queues = queues;
        this.catchUp = catchUp;
        this.listeners = List.copyOf(listeners);
        this.pubsub = pubsub;
        this.confirmTimeoutMs = Math.max(1, storage.commandTimeout().toMillis());
        follow(QueueNames.DEFAULT);
    }

    void start(@Observes StartupEvent event) {
        connect();
        poller = vertx.setPeriodic(REGISTRY_POLL_MS, id -> pollRegistry());
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        if (poller >= 0) {
            vertx.cancelTimer(poller);
        }
        RedisConnection current = connection;
        connection = null; // its end handler must not close it a second time
        if (current != null) {
            current.closeAndForget();
        }
    }

    /** Every followed queue's subscription is confirmed. */
    public boolean isSubscribed() {
        return connection != null && byQueue.values().stream().allMatch(f -> f.confirmed);
    }

    /** How often the subscription had to be made again since start. */
    public long resubscriptions() {
        return Math.max(0, resubscriptions);
    }

    /** The queues followed, {@code default} first. */
    public List<String> queues() {
        return List.copyOf(byQueue.keySet());
    }

    private Follow follow(String queue) {
        return byQueue.computeIfAbsent(queue, q -> {
            Follow follow = new Follow(q, keyspace.queue(q).events());
            byChannel.put(follow.channel, follow);
            return follow;
        });
    }

    /** New queues in the registry are followed at once (on the current connection, if there is one). */
    private void pollRegistry() {
        if (stopped) {
            return;
        }
        queues.names().subscribe().with(names -> names.forEach(name -> {
            if (!byQueue.containsKey(name)) {
                Follow follow = follow(name);
                LOG.infof("following queue %s", name);
                RedisConnection conn = connection;
                if (conn != null) {
                    subscribe(conn, follow);
                }
            }
        }), e -> LOG.debugf("reading the queue registry failed: %s", e.getMessage()));
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
            resubscriptions++;
            conn.handler(push -> onPush(conn, push));
            conn.exceptionHandler(e -> lost(conn, e.getMessage()));
            conn.endHandler(() -> lost(conn, "connection closed"));
            byQueue.values().forEach(follow -> subscribe(conn, follow));
        }, e -> retryLater(e.getMessage()));
    }

    /**
     * A pub/sub command is answered by a push (the confirmation), not by a reply: the send completes once written. No
     * confirmation in time (say the SSUBSCRIBE went to a node connection without our handler because the slot moved
     * meanwhile) counts as a lost subscription.
     */
    private void subscribe(RedisConnection conn, Follow follow) {
        follow.confirmed = false;
        conn.send(Request.cmd(subscribeCommand()).arg(follow.channel)).subscribe().with(
                sent -> vertx.setTimer(confirmTimeoutMs, id -> {
                    if (connection == conn && !follow.confirmed) {
                        lost(conn, pubsub.subscribeCommand() + " " + follow.channel + " not confirmed within "
                                + confirmTimeoutMs + " ms");
                    }
                }), e -> lost(conn, e.getMessage()));
    }

    /**
     * The client's own constant, not {@code Command.create(name)}: only the predefined command knows that it is a
     * pub/sub command (answered by a push) and where its key (the channel) is, which the Cluster client routes by.
     */
    private Command subscribeCommand() {
        return pubsub == PubSub.SHARDED ? Command.SSUBSCRIBE : Command.SUBSCRIBE;
    }

    private void confirmed(RedisConnection conn, String channel) {
        Follow follow = byChannel.get(channel);
        if (connection != conn || follow == null || follow.confirmed) {
            return;
        }
        follow.confirmed = true;
        // a subscription that worked is made again at once when lost (a failover: the services that publish move
        // to the new master as fast as we do, and what is published before we are back reaches no one)
        backoff = 0;
        LOG.infof("subscribed to %s (%s)", channel, pubsub.subscribeCommand());
        boolean first = !follow.everConfirmed;
        follow.everConfirmed = true;
        if (first && resubscriptions == 0 && QueueNames.DEFAULT.equals(follow.queue)) {
            return; // the gateway's start: no client can have missed anything yet
        }
        // a queue followed for the first time is read from the start of its log; one followed before, from a little
        // before the last event seen
        long since = first ? 0 : Math.max(0, follow.seenUntil - CATCH_UP_MARGIN_MS);
        catchUp.queue(follow.queue, since);
    }

    private void lost(RedisConnection conn, String why) {
        if (connection != conn) {
            return; // an old connection reporting late
        }
        connection = null;
        byQueue.values().forEach(follow -> follow.confirmed = false);
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
     * the answer to a subscribe command (e.g. {@code MOVED} while the client's slot map is stale).
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
        String channel = push.get(1) == null ? "" : push.get(1).toString();
        if (!pubsub.messageType().equals(type)) {
            if (type.equalsIgnoreCase(pubsub.subscribeCommand())) {
                confirmed(conn, channel);
            } else if (type.equals("unsubscribe") || type.equals("sunsubscribe")) {
                lost(conn, "Redis ended the subscription to " + channel + " (" + type + ")");
            }
            return;
        }
        String text = push.get(2).toString();
        List<EventMessage> messages;
        try {
            messages = EventMessage.parseAll(text);
        } catch (IllegalArgumentException e) {
            LOG.warnf("ignored a malformed message on %s: %s", channel, e.getMessage());
            return;
        }
        Follow follow = byChannel.get(channel);
        for (EventMessage message : messages) {
            if (message.status() == JobStatus.UNKNOWN && LOG.isDebugEnabled()) {
                String event = message.eventJson();
                LOG.debugf("job %s v%d: a status this gateway does not know (a newer release's), forwarded as it is: "
                        + "%s", message.jobId(), message.version(), event.length() <= 200 ? event
                        : event.substring(0, 200) + "…");
            }
            if (follow != null) {
                long at = Math.max(message.createdAt(), Math.max(message.startedAt(), message.finishedAt()));
                if (at > follow.seenUntil) {
                    follow.seenUntil = at;
                }
            }
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
