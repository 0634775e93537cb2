package io.livequeue.client;

import java.net.URI;

/**
 * What a {@link JobWatcher} tells its user. It exists as the one callback interface of the watcher: every
 * {@link JobUpdate} once, in version order per job, plus optional notices of errors and of connections made and
 * lost. Calls come one at a time from the watcher's I/O threads, never two at once; keep them short (hand heavy work
 * to an executor of your own), since the next update waits for the call to return.
 */
@FunctionalInterface
public interface JobListener {

    /** A change of a job: never one the listener already had, never an older one after a newer. */
    void onUpdate(JobUpdate update);

    /** The gateway refused something, e.g. a subscription with a wrong token. */
    default void onError(GatewayError error) {
    }

    /** Connected to {@code gateway}, which gave this connection {@code inbox}; followed jobs are being re-subscribed. */
    default void onConnected(URI gateway, String inbox) {
    }

    /** The connection to {@code gateway} ended; the watcher reconnects by itself, with back-off. */
    default void onDisconnected(URI gateway, String reason) {
    }
}
