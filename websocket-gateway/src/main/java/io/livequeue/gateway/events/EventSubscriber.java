package io.livequeue.gateway.events;

import io.livequeue.core.EventMessage;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.RedisKeys;
import io.livequeue.gateway.socket.ClientRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The gateway's one Redis subscription: every status change of every job arrives here once and is routed to the
 * sockets that want it. It holds one connection of its own; when that connection ends (Redis restarted, network
 * lost) it connects and subscribes again with back-off, readiness is down meanwhile, and what clients missed is
 * caught up from the jobs themselves. Sockets stay open throughout.
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
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private volatile boolean stopped;
    private volatile RedisConnection connection;
    private long backoff = MIN_BACKOFF_MS;
    private long resubscriptions = -1;

    EventSubscriber(Redis redis, JobStore store, Vertx vertx, RedisKeys keys, ClientRegistry registry) {
        this.redis = redis;
        this.store = store;
        this.vertx = vertx;
        this.keys = keys;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        connect();
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        RedisConnection current = connection;
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
            connection = conn;
            conn.handler(this::onPush);
            conn.exceptionHandler(e -> lost(conn, e.getMessage()));
            conn.endHandler(() -> lost(conn, "connection closed"));
            conn.send(Request.cmd(Command.SUBSCRIBE).arg(keys.events())).subscribe().with(ok -> {
                subscribed.set(true);
                backoff = MIN_BACKOFF_MS;
                LOG.infof("subscribed to %s", keys.events());
                if (++resubscriptions > 0) {
                    catchUp();
                }
            }, e -> lost(conn, e.getMessage()));
        }, e -> retryLater(e.getMessage()));
    }

    /**
     * Events published while the subscription was down are gone; what clients may have missed is read back from the
     * jobs themselves and routed like events (the version check drops what a client already has).
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
        vertx.setTimer(backoff, id -> connect());
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
    }

    /** A pushed message: {@code ["message", channel, payload]} in RESP2 and RESP3 alike. */
    private void onPush(Response push) {
        if (push == null || push.size() < 3 || !"message".equals(push.get(0).toString())) {
            return;
        }
        String text = push.get(2).toString();
        try {
            registry.route(EventMessage.parse(text));
        } catch (IllegalArgumentException e) {
            LOG.warnf("ignored a malformed message on %s: %s", keys.events(), e.getMessage());
        }
    }
}
