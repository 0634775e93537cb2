package io.livequeue.gateway.socket;

import io.livequeue.core.EventMessage;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * One connected socket: its inbox, the jobs it watches, and the last version of each job it was sent. Events
 * reach a client from the Redis subscription and from snapshots (read on subscribe, and after the gateway
 * re-subscribed); the version check makes every job event arrive once and never older than what the client already
 * has, whichever path was faster.
 */
final class Client {

    private static final Logger LOG = Logger.getLogger(Client.class);
    private static final int REMEMBERED = 1024;

    static final int POLICY_VIOLATION = 1008;

    private final WebSocketConnection connection;
    private final String inbox;
    private final int maxQueued;
    private final long maxQueuedChars;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong queuedChars = new AtomicLong();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile long lastHeardNanos = System.nanoTime();
    private final Set<String> subscriptions = new HashSet<>();
    /** Last version sent per job, negated once the job is final; the oldest entries go beyond {@link #REMEMBERED}. */
    private final Map<String, Long> versions = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > REMEMBERED;
        }
    };

    Client(WebSocketConnection connection, String inbox, int maxQueued, long maxQueuedChars) {
        this.connection = connection;
        this.inbox = inbox;
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
        return overflowed.get();
    }

    String inbox() {
        return inbox;
    }

    String id() {
        return connection.id();
    }

    synchronized boolean watch(String jobId, int limit) {
        if (subscriptions.size() >= limit && !subscriptions.contains(jobId)) {
            return false;
        }
        subscriptions.add(jobId);
        return true;
    }

    synchronized boolean unwatch(String jobId) {
        versions.remove(jobId);
        return subscriptions.remove(jobId);
    }

    synchronized Set<String> subscriptions() {
        return Set.copyOf(subscriptions);
    }

    /** The jobs this client watches or has unfinished news of: what it may have missed while events were lost. */
    synchronized Set<String> knownJobs() {
        Set<String> known = new HashSet<>(subscriptions);
        versions.forEach((job, version) -> {
            if (version > 0) {
                known.add(job);
            }
        });
        return known;
    }

    /** Sends a job event unless this client already has this version of the job or a newer one. */
    synchronized boolean deliver(EventMessage message) {
        Long seen = versions.get(message.jobId());
        if (seen != null && Math.abs(seen) >= message.version()) {
            return false;
        }
        versions.put(message.jobId(), message.status().isFinal() ? -message.version() : message.version());
        send(message.eventJson());
        return true;
    }

    /** Closes the connection, e.g. with 1001 (going away) so the client reconnects to another gateway; once. */
    Uni<Void> close(int code, String reason) {
        if (!closing.compareAndSet(false, true) || !connection.isOpen()) {
            return Uni.createFrom().voidItem();
        }
        return connection.close(new CloseReason(code, reason));
    }

    boolean isClosing() {
        return closing.get();
    }

    /**
     * Queues a frame. A write completes when the socket takes it; a client that does not read lets the queue grow
     * to {@code maxQueued} messages or {@code maxQueuedChars} characters, and is then closed instead of being
     * buffered for without end.
     */
    void send(String text) {
        if (!connection.isOpen() || overflowed.get()) {
            return;
        }
        int chars = text.length();
        int messages = queued.incrementAndGet();
        long waiting = queuedChars.addAndGet(chars);
        if (messages > maxQueued || waiting > maxQueuedChars) {
            queued.decrementAndGet();
            queuedChars.addAndGet(-chars);
            if (overflowed.compareAndSet(false, true)) {
                LOG.infof("closing %s: %d messages (%d characters) queued and not read", connection.id(),
                        queued.get(), queuedChars.get());
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
        queued.decrementAndGet();
        queuedChars.addAndGet(-chars);
    }
}
