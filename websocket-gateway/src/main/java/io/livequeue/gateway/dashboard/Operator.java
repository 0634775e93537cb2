package io.livequeue.gateway.dashboard;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * One operator socket: whether it showed the token yet, and its outgoing queue. An operator tab that stops reading
 * (a laptop asleep with the socket still open) is closed once {@link #MAX_QUEUED} frames wait, rather than buffering
 * a stats frame a second for it without end.
 */
final class Operator {

    private static final Logger LOG = Logger.getLogger(Operator.class);

    static final int POLICY_VIOLATION = 1008;
    /** Half a minute of stats frames. */
    static final int MAX_QUEUED = 30;

    private final WebSocketConnection connection;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean authenticated;
    private volatile long helloTimer = -1;

    Operator(WebSocketConnection connection) {
        this.connection = connection;
    }

    String id() {
        return connection.id();
    }

    boolean authenticated() {
        return authenticated;
    }

    void authenticate() {
        authenticated = true;
    }

    long helloTimer() {
        return helloTimer;
    }

    void helloTimer(long timerId) {
        helloTimer = timerId;
    }

    void send(String text) {
        if (closing.get() || !connection.isOpen()) {
            return;
        }
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            LOG.infof("closing operator socket %s: %d frames queued and not read", id(), MAX_QUEUED);
            close(POLICY_VIOLATION, "too slow: outgoing queue full");
            return;
        }
        connection.sendText(text).subscribe().with(ok -> queued.decrementAndGet(), failure -> {
            queued.decrementAndGet();
            LOG.debugf("send to operator socket %s failed: %s", id(), failure.getMessage());
        });
    }

    /** Sends a last frame (the reason, as an error event) and then closes with {@code code}; once. */
    void sendAndClose(String text, int code, String reason) {
        if (!closing.compareAndSet(false, true) || !connection.isOpen()) {
            return;
        }
        connection.sendText(text).onFailure().recoverWithNull()
                .chain(() -> connection.close(new CloseReason(code, reason)))
                .subscribe().with(ok -> {
                }, failure -> LOG.debugf("close of operator socket %s failed: %s", id(), failure.getMessage()));
    }

    void close(int code, String reason) {
        if (closing.compareAndSet(false, true) && connection.isOpen()) {
            connection.close(new CloseReason(code, reason)).subscribe().with(ok -> {
            }, failure -> LOG.debugf("close of operator socket %s failed: %s", id(), failure.getMessage()));
        }
    }
}
