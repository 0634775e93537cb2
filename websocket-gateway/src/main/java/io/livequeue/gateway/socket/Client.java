package io.livequeue.gateway.socket;

import io.livequeue.core.EventMessage;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.jboss.logging.Logger;

/**
 * One connected socket: its inbox, the jobs it watches, and the last version of each job it was sent. Events
 * reach a client from the Redis subscription and from snapshots (read on subscribe, and after the gateway
 * re-subscribed); the version check makes every job event arrive once and never older than what the client already
 * has, whichever path was faster. A gateway holds thousands of idle clients, so a client costs little: its maps are
 * made when first needed, and its counters are fields updated atomically rather than objects of their own. The status
 * is used for one thing only: a job in a final status is no longer unfinished news to catch up. A status of a newer
 * release ({@link io.livequeue.core.JobStatus#UNKNOWN}) is delivered like any other and counts as not final.
 */
final class Client {

    private static final Logger LOG = Logger.getLogger(Client.class);
    private static final int REMEMBERED = 1024;
    private static final AtomicIntegerFieldUpdater<Client> QUEUED =
            AtomicIntegerFieldUpdater.newUpdater(Client.class, "queued");
    private static final AtomicLongFieldUpdater<Client> QUEUED_CHARS =
            AtomicLongFieldUpdater.newUpdater(Client.class, "queuedChars");
    private static final AtomicIntegerFieldUpdater<Client> OVERFLOWED =
            AtomicIntegerFieldUpdater.newUpdater(Client.class, "overflowed");
    private static final AtomicIntegerFieldUpdater<Client> CLOSING =
            AtomicIntegerFieldUpdater.newUpdater(Client.class, "closing");

    static final int POLICY_VIOLATION = 1008;

    private final WebSocketConnection connection;
    private final String inbox;
    private final String address;
    private final FrameBudget budget;
    private final int maxQueued;
    private final long maxQueuedChars;
    private volatile int queued;
    private volatile long queuedChars;
    private volatile int overflowed;
    private volatile int closing;
    private volatile long lastHeardNanos = System.nanoTime();
    /** Made on the first subscribe. */
    private Set<String> subscriptions;
    /**
     * Last version sent per job, negated once the job is final; the oldest entries go beyond {@link #REMEMBERED}.
     * Made on the first event.
     */
    private Map<String, Long> versions;

    /**
     * @param address the client's address as {@link ClientAddress} keys it, or null when not counted
     * @param budget its allowance of incoming frames, or null when frames are not limited
     */
    Client(WebSocketConnection connection, String inbox, String address, FrameBudget budget, int maxQueued,
            long maxQueuedChars) {
        this.connection = connection;
        this.inbox = inbox;
        this.address = address;
        this.budget = budget;
        this.maxQueued = maxQueued;
        this.maxQueuedChars = maxQueuedChars;
    }

    /** Anything heard from the client (a frame, a pong) proves it is alive. */
    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    boolean silentLongerThan(long nanos) {
        return System.nanoTime() - lastHeardNanos > nanos;
    }

    boolean overflowed() {
        return overflowed != 0;
    }

    String inbox() {
        return inbox;
    }

    String address() {
        return address;
    }

    /** What to do with a frame that just arrived: always {@code ACCEPT} when frames are not limited. */
    FrameBudget.Verdict takeFrame() {
        return budget == null ? FrameBudget.Verdict.ACCEPT : budget.take(System.nanoTime());
    }

    /** Frames dropped since the client was last told. */
    int takeDropped() {
        return budget == null ? 0 : budget.takeDropped();
    }

    String id() {
        return connection.id();
    }

    synchronized boolean watch(String jobId, int limit) {
        if (subscriptions == null) {
            subscriptions = new HashSet<>();
        }
        if (subscriptions.size() >= limit && !subscriptions.contains(jobId)) {
            return false;
        }
        subscriptions.add(jobId);
        return true;
    }

    synchronized boolean unwatch(String jobId) {
        if (versions != null) {
            versions.remove(jobId);
        }
        return subscriptions != null && subscriptions.remove(jobId);
    }

    synchronized boolean watches(String jobId) {
        return subscriptions != null && subscriptions.contains(jobId);
    }

    synchronized Set<String> subscriptions() {
        return subscriptions == null ? Set.of() : Set.copyOf(subscriptions);
    }

    /** The jobs this client watches or has unfinished news of: what it may have missed while events were lost. */
    synchronized Set<String> knownJobs() {
        Set<String> known = subscriptions == null ? new HashSet<>() : new HashSet<>(subscriptions);
        if (versions != null) {
            versions.forEach((job, version) -> {
                if (version > 0) {
                    known.add(job);
                }
            });
        }
        return known;
    }

    /** Sends a job event unless this client already has this version of the job or a newer one. */
    synchronized boolean deliver(EventMessage message) {
        if (versions == null) {
            versions = new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                    return size() > REMEMBERED;
                }
            };
        }
        Long seen = versions.get(message.jobId());
        if (seen != null && Math.abs(seen) >= message.version()) {
            return false;
        }
        versions.put(message.jobId(), message.status().isFinal() ? -message.version() : message.version());
        send(message.eventJson());
        return true;
    }

    /**
     * The snapshot read on subscribe: delivered like any event, unless the client unsubscribed from the job while it
     * was being read (frames of one socket are handled as they come, not one after the other's reply).
     */
    synchronized boolean deliverSnapshot(EventMessage message) {
        return watches(message.jobId()) && deliver(message);
    }

    /** Closes the connection, e.g. with 1001 (going away) so the client reconnects to another gateway; once. */
    Uni<Void> close(int code, String reason) {
        if (!CLOSING.compareAndSet(this, 0, 1) || !connection.isOpen()) {
            return Uni.createFrom().voidItem();
        }
        return connection.close(new CloseReason(code, reason));
    }

    boolean isClosing() {
        return closing != 0;
    }

    /**
     * Queues a frame. A write completes when the socket takes it; a client that does not read lets the queue grow
     * to {@code maxQueued} messages or {@code maxQueuedChars} characters, and is then closed instead of being
     * buffered for without end.
     */
    void send(String text) {
        if (!connection.isOpen() || overflowed != 0) {
            return;
        }
        int chars = text.length();
        int messages = QUEUED.incrementAndGet(this);
        long waiting = QUEUED_CHARS.addAndGet(this, chars);
        if (messages > maxQueued || waiting > maxQueuedChars) {
            QUEUED.decrementAndGet(this);
            QUEUED_CHARS.addAndGet(this, -chars);
            if (OVERFLOWED.compareAndSet(this, 0, 1)) {
                LOG.infof("closing %s: %d messages (%d characters) queued and not read", connection.id(),
                        queued, queuedChars);
                close(POLICY_VIOLATION, "too slow: outgoing queue full").subscribe().with(ok -> {
                }, failure -> LOG.debugf("close of %s failed: %s", connection.id(), failure.getMessage()));
            }
            return;
        }
        connection.sendText(text).subscribe().with(ignored -> written(chars), failure -> {
            written(chars);
            LOG.debugf("send to %s failed: %s", connection.id(), failure.getMessage());
        });
    }

    private void written(int chars) {
        QUEUED.decrementAndGet(this);
        QUEUED_CHARS.addAndGet(this, -chars);
    }
}
