package io.livequeue.gateway.socket;

import io.livequeue.core.EventMessage;
import io.livequeue.core.Ids;
import io.livequeue.gateway.config.GatewayConfig;
import io.livequeue.gateway.events.JobEventListener;
import io.quarkus.websockets.next.WebSocketConnection;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Who gets which event: clients by connection and by inbox, and the watchers of each job. Routing an event is two
 * map look-ups, whatever the number of sockets; nothing is scanned or encoded per connection.
 */
@Singleton
public class ClientRegistry implements JobEventListener {

    private static final int GOING_AWAY = 1001;

    private final Map<String, Client> byConnection = new ConcurrentHashMap<>();
    private final Map<String, Client> byInbox = new ConcurrentHashMap<>();
    private final Map<String, Set<Client>> watchers = new ConcurrentHashMap<>();

    private final GatewayConfig config;
    private final AddressCounts addresses = new AddressCounts();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong slowClientsClosed = new AtomicLong();
    private final AtomicLong deadClientsClosed = new AtomicLong();
    private final AtomicLong floodingClientsClosed = new AtomicLong();
    private final AtomicLong refusedFull = new AtomicLong();
    private final AtomicLong refusedAddress = new AtomicLong();
    private final LongAdder eventsDelivered = new LongAdder();
    private final LongAdder framesDropped = new LongAdder();

    ClientRegistry(GatewayConfig config) {
        this.config = config;
    }

    /** Why a socket was not registered. */
    enum Refusal {
        /** {@code max-connections} sockets are open */
        FULL,
        /** its address holds {@code max-connections-per-address} sockets */
        ADDRESS
    }

    /** The outcome of {@link #open}: the new client, or why there is none. */
    record Admission(Client client, Refusal refusal) {
    }

    /**
     * Registers a new socket, unless the gateway is full or the socket's address holds its share already:
     * {@link UpgradeCheck} refuses most such upgrades early, these counts are the exact ones when many arrive at once.
     *
     * @param address the client's address ({@link ClientAddress}), or null when it is not known
     */
    Admission open(WebSocketConnection connection, String address) {
        if (open.incrementAndGet() > config.maxConnections()) {
            open.decrementAndGet();
            refusedFull.incrementAndGet();
            return new Admission(null, Refusal.FULL);
        }
        String counted = null;
        if (address != null && config.maxConnectionsPerAddress() > 0) {
            counted = addresses.acquire(address, config.maxConnectionsPerAddress());
            if (counted == null) {
                open.decrementAndGet();
                refusedAddress.incrementAndGet();
                return new Admission(null, Refusal.ADDRESS);
            }
        }
        FrameBudget budget = config.maxFramesPerSecond() <= 0 ? null : new FrameBudget(config.maxFramesPerSecond(),
                config.frameBurst(), config.throttledCloseAfter().toNanos());
        Client client = new Client(connection, Ids.newInboxId(), counted, budget, config.maxQueuedMessages(),
                config.maxQueuedBytes().asLongValue());
        byConnection.put(connection.id(), client);
        byInbox.put(client.inbox(), client);
        return new Admission(client, null);
    }

    /** Whether {@code address} holds its share of sockets already (always false when there is no cap). */
    boolean addressFull(String address) {
        int cap = config.maxConnectionsPerAddress();
        return cap > 0 && address != null && addresses.count(address) >= cap;
    }

    /** Sockets open from {@code address}, as the per-address cap counts them. */
    public int connectionsFrom(String address) {
        return addresses.count(address);
    }

    Client find(WebSocketConnection connection) {
        return byConnection.get(connection.id());
    }

    void close(WebSocketConnection connection) {
        Client client = byConnection.remove(connection.id());
        if (client != null) {
            open.decrementAndGet();
            if (client.address() != null) {
                addresses.release(client.address());
            }
            if (client.overflowed()) {
                slowClientsClosed.incrementAndGet();
            }
            byInbox.remove(client.inbox());
            client.subscriptions().forEach(job -> removeWatcher(job, client));
        }
    }

    /** Closes the sockets nothing was heard from for the idle time-out: their peer is gone without saying so. */
    void closeSilent(long idleNanos) {
        byConnection.values().stream().filter(client -> !client.isClosing() && client.silentLongerThan(idleNanos))
                .forEach(client -> {
            deadClientsClosed.incrementAndGet();
            client.close(GOING_AWAY, "no pong within the idle time-out").subscribe().with(ok -> {
            }, failure -> {
            });
        });
    }

    public long slowClientsClosed() {
        return slowClientsClosed.get();
    }

    public long deadClientsClosed() {
        return deadClientsClosed.get();
    }

    /** Sockets closed for sending over their frame allowance for too long. */
    public long floodingClientsClosed() {
        return floodingClientsClosed.get();
    }

    void floodingClientClosed() {
        floodingClientsClosed.incrementAndGet();
    }

    /** Frames dropped because their socket was over its allowance. */
    public long framesDropped() {
        return framesDropped.sum();
    }

    void frameDropped() {
        framesDropped.increment();
    }

    /** Sockets refused (at the upgrade or just after) because the gateway was full. */
    public long refusedFull() {
        return refusedFull.get();
    }

    /** Sockets refused (at the upgrade or just after) because their address held its share. */
    public long refusedAddress() {
        return refusedAddress.get();
    }

    void refusedAtUpgrade(Refusal refusal) {
        (refusal == Refusal.FULL ? refusedFull : refusedAddress).incrementAndGet();
    }

    /**
     * On shutdown every socket is closed with 1001 (going away): clients reconnect at once, elsewhere if need be. This
     * runs when the shutdown delay starts, before the HTTP server would close the sockets itself with a plain 1000.
     */
    void closeAll(@Observes ShutdownDelayInitiatedEvent event) {
        List<Uni<Void>> closing = byConnection.values().stream()
                .map(client -> client.close(GOING_AWAY, "gateway shutting down").onFailure().recoverWithNull())
                .toList();
        if (!closing.isEmpty()) {
            Uni.join().all(closing).andFailFast().await().atMost(Duration.ofSeconds(2));
        }
    }

    boolean watch(Client client, String jobId, int limit) {
        if (!client.watch(jobId, limit)) {
            return false;
        }
        watchers.computeIfAbsent(jobId, id -> ConcurrentHashMap.newKeySet()).add(client);
        return true;
    }

    void unwatch(Client client, String jobId) {
        client.unwatch(jobId);
        removeWatcher(jobId, client);
    }

    /** An event from the Redis subscription: routed to the sockets that want it. */
    @Override
    public void onEvent(EventMessage message) {
        route(message);
    }

    /** Sends an event to the job's inbox, if it has one here, and to every watcher of the job. */
    public void route(EventMessage message) {
        Client owner = message.replyTo() == null ? null : byInbox.get(message.replyTo());
        Set<Client> watching = watchers.get(message.jobId());
        if (owner != null && (watching == null || !watching.contains(owner)) && owner.deliver(message)) {
            eventsDelivered.increment();
        }
        if (watching != null) {
            watching.forEach(client -> {
                if (client.deliver(message)) {
                    eventsDelivered.increment();
                }
            });
        }
    }

    /** Events routed to a socket (one per socket; repeats a client already has are not sent, nor counted). */
    public long eventsDelivered() {
        return eventsDelivered.sum();
    }

    /** Every job some client here watches or has unfinished news of. */
    public Set<String> knownJobs() {
        Set<String> known = new HashSet<>();
        byConnection.values().forEach(client -> known.addAll(client.knownJobs()));
        return known;
    }

    /** Whether a socket with this inbox is connected here. */
    public boolean hasInbox(String inbox) {
        return byInbox.containsKey(inbox);
    }

    public int connections() {
        return byConnection.size();
    }

    public int watchedJobs() {
        return watchers.size();
    }

    private void removeWatcher(String jobId, Client client) {
        watchers.computeIfPresent(jobId, (id, set) -> {
            set.remove(client);
            return set.isEmpty() ? null : set;
        });
    }
}
