package io.livequeue.bench;

/**
 * The stack cannot be measured as it is (Redis unreachable, no consumer taking jobs): there is nothing to report,
 * only what to fix, so the bench says that and exits with 2 instead of waiting out its time-out.
 */
final class StackNotReady extends Exception {

    StackNotReady(String message) {
        super(message);
    }
}
