package io.livequeue.gateway.socket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livequeue.core.EventMessage;
import io.livequeue.core.Ids;
import io.livequeue.core.JobTokens;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.gateway.config.GatewayConfig;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The client protocol, shared by the {@code /ws} and {@code /} endpoints: a welcome with a fresh inbox on open,
 * {@code subscribe} (checked against the job's token, answered with the job's current state at once) and
 * {@code unsubscribe}. Anything else gets an {@code error} event and the connection stays open. Frames are handled as
 * they arrive (a subscribe's snapshot read does not hold up the next frame), each one first paid for from the
 * socket's {@link FrameBudget}: frames over it are dropped, the client is told with a {@code rate-limited} error at
 * most once a second, and a socket that keeps it up for {@code throttled-close-after} is closed (1008).
 */
@Singleton
public class ClientSessions {

    private static final Logger LOG = Logger.getLogger(ClientSessions.class);
    private static final int TRY_AGAIN_LATER = 1013;
    private static final int POLICY_VIOLATION = 1008;

    private final ClientRegistry registry;
    private final JobTokens tokens;
    private final JobStore store;
    private final ObjectMapper mapper;
    private final GatewayConfig config;
    private final int maxMessageSize;

    ClientSessions(ClientRegistry registry, JobTokens tokens, JobStore store, ObjectMapper mapper, GatewayConfig config,
            @ConfigProperty(name = "quarkus.websockets-next.server.max-message-size") int maxMessageSize) {
        this.registry = registry;
        this.tokens = tokens;
        this.store = store;
        this.mapper = mapper;
        this.config = config;
        this.maxMessageSize = maxMessageSize;
    }

    void open(WebSocketConnection connection) {
        // read once and dropped: the socket keeps the registry's shared copy of its address, not one of its own
        String address = connection.userData().remove(ClientAddress.KEY);
        ClientRegistry.Admission admission = registry.open(connection, address);
        if (admission.client() == null) {
            String reason = admission.refusal() == ClientRegistry.Refusal.FULL ? "gateway full: try again later"
                    : "too many connections from your address: try again later";
            connection.close(new CloseReason(TRY_AGAIN_LATER, reason)).subscribe()
                    .with(ok -> {
                    }, failure -> LOG.debugf("close of %s failed: %s", connection.id(), failure.getMessage()));
            return;
        }
        Client client = admission.client();
        client.send(ClientEvents.welcome(client.inbox()));
    }

    void close(WebSocketConnection connection) {
        registry.close(connection);
    }

    /** Runs with the application: closes sockets that went silent (see {@code idle-timeout}). */
    void watchIdle(@Observes StartupEvent event, Vertx vertx) {
        long every = Math.max(1000, config.idleTimeout().toMillis() / 4);
        vertx.setPeriodic(every, id -> registry.closeSilent(config.idleTimeout().toNanos()));
    }

    void binary(WebSocketConnection connection) {
        Client client = registry.find(connection);
        if (client != null && paidFor(client)) {
            client.send(ClientEvents.error("unsupported-frame",
                    "binary frames are not supported: send JSON text frames"));
        }
    }

    /** A frame the server could not take: the one a client can do something about is a message over the limit. */
    void failed(WebSocketConnection connection, Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        if (message.contains("max message size")) {
            reject(connection, "frame-too-large", "messages are limited to " + maxMessageSize + " bytes");
        } else {
            LOG.debugf("socket %s: %s", connection.id(), message);
        }
    }

    void pong(WebSocketConnection connection) {
        Client client = registry.find(connection);
        if (client != null) {
            client.heard();
        }
    }

    Uni<Void> text(WebSocketConnection connection, String text) {
        Client client = registry.find(connection);
        if (client == null) {
            return Uni.createFrom().voidItem();
        }
        client.heard();
        if (!paidFor(client)) {
            return Uni.createFrom().voidItem();
        }
        JsonNode frame;
        try {
            frame = mapper.readTree(text);
        } catch (Exception e) {
            frame = null;
        }
        if (frame == null || !frame.isObject()) {
            return error(client, "bad-frame", "frames are JSON objects such as {\"op\":\"subscribe\",\"job\":\"<id>\","
                    + "\"token\":\"<token>\"}");
        }
        String op = frame.path("op").asText("");
        return switch (op) {
            case "subscribe" -> subscribe(client, frame);
            case "unsubscribe" -> unsubscribe(client, frame);
            default -> error(client, "unknown-op", op.isEmpty() ? "the frame has no \"op\": use subscribe or unsubscribe"
                    : "unknown op '" + abbreviate(op) + "': use subscribe or unsubscribe");
        };
    }

    private Uni<Void> subscribe(Client client, JsonNode frame) {
        String jobId = frame.path("job").asText(null);
        String token = frame.path("token").asText(null);
        if (!Ids.isJobId(jobId)) {
            return error(client, "bad-request", "subscribe needs \"job\": a job id as returned by POST /api/jobs");
        }
        if (token == null || !tokens.verify(jobId, token)) {
            return error(client, "forbidden", "the token does not grant access to job " + jobId);
        }
        if (!registry.watch(client, jobId, config.maxSubscriptionsPerConnection())) {
            return error(client, "too-many-subscriptions", "a connection may watch at most "
                    + config.maxSubscriptionsPerConnection() + " jobs: unsubscribe from finished ones");
        }
        client.send(ClientEvents.subscribed(jobId));
        // subscribed first, snapshot second: a change between the two arrives live and the older snapshot is dropped
        return store.find(jobId).invoke(job -> {
            if (job.isPresent()) {
                var j = job.get();
                client.deliverSnapshot(new EventMessage(j.version(), j.id(), j.status(), null, j.eventJson()));
            } else {
                registry.unwatch(client, jobId);
                client.send(ClientEvents.error("not-found", "job " + jobId + " does not exist (finished jobs expire)"));
            }
        }).onFailure().invoke(e -> {
            LOG.debugf("snapshot of %s failed: %s", jobId, e.getMessage());
            client.send(ClientEvents.error("unavailable", "the state of job " + jobId
                    + " cannot be read right now; its next change will still arrive"));
        }).onFailure().recoverWithNull().replaceWithVoid();
    }

    private Uni<Void> unsubscribe(Client client, JsonNode frame) {
        String jobId = frame.path("job").asText(null);
        if (!Ids.isJobId(jobId)) {
            return error(client, "bad-request", "unsubscribe needs \"job\": a job id");
        }
        registry.unwatch(client, jobId);
        client.send(ClientEvents.unsubscribed(jobId));
        return Uni.createFrom().voidItem();
    }

    /**
     * Takes a frame from the client's allowance: true when the frame is to be handled; otherwise it is dropped, and
     * the client is told or closed as {@link FrameBudget} says. Nothing here waits: it runs on the event loop.
     */
    private boolean paidFor(Client client) {
        FrameBudget.Verdict verdict = client.takeFrame();
        if (verdict == FrameBudget.Verdict.ACCEPT) {
            return true;
        }
        registry.frameDropped();
        if (verdict == FrameBudget.Verdict.DROP_AND_WARN) {
            client.send(ClientEvents.error("rate-limited", "more than " + config.maxFramesPerSecond()
                    + " frames a second (bursts of " + config.frameBurst() + "): " + client.takeDropped()
                    + " frame(s) dropped since the last notice; send fewer and re-send what matters"));
        } else if (verdict == FrameBudget.Verdict.CLOSE && !client.isClosing()) {
            LOG.infof("closing %s: over its frame allowance for %s", client.id(), config.throttledCloseAfter());
            registry.floodingClientClosed();
            client.close(POLICY_VIOLATION, "too many frames").subscribe().with(ok -> {
            }, failure -> LOG.debugf("close of %s failed: %s", client.id(), failure.getMessage()));
        }
        return false;
    }

    private void reject(WebSocketConnection connection, String code, String message) {
        Client client = registry.find(connection);
        if (client != null) {
            client.send(ClientEvents.error(code, message));
        }
    }

    private static Uni<Void> error(Client client, String code, String message) {
        client.send(ClientEvents.error(code, message));
        return Uni.createFrom().voidItem();
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
