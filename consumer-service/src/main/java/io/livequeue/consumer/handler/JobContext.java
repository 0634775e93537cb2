package io.livequeue.consumer.handler;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a handler knows of the job it runs, and what it can tell back: {@code payload} is a {@code NullNode} when the
 * job has none. {@link #progress} reports how far it is (watchers see it live; at most about ten reports a second reach
 * them, the last one always). {@link #isCancelled()} and {@link #onCancel} say that the job's cancellation was asked
 * for while it runs: the worker's thread is interrupted too, so a handler blocked in {@code sleep}, {@code wait} or
 * interruptible I/O stops by itself; one that computes should look at the flag. The attempt then ends
 * {@code cancelled}, unless the handler had already finished. {@code control} connects the context to the running
 * attempt; a context built with the five-argument constructor (in a handler's unit test, say) has a detached one,
 * never cancelled, whose progress goes nowhere.
 */
public record JobContext(String id, String type, int attempt, int maxAttempts, JsonNode payload, Control control) {

    public JobContext {
        control = control == null ? Control.DETACHED : control;
    }

    public JobContext(String id, String type, int attempt, int maxAttempts, JsonNode payload) {
        this(id, type, attempt, maxAttempts, payload, Control.DETACHED);
    }

    /** Whether the job's cancellation was asked for while this attempt runs. */
    public boolean isCancelled() {
        return control.isCancelled();
    }

    /**
     * Runs {@code callback} once when the job's cancellation is asked for (at once if it was already), on a thread of
     * the consumer's, not the handler's: it must not block. Use it to abort what an interrupt does not reach (a
     * request in flight, a child process).
     */
    public void onCancel(Runnable callback) {
        control.onCancel(callback);
    }

    /**
     * Reports progress: {@code percent} from 0 to 100 and {@code data} (any small JSON, or null), shown on the job
     * ({@code GET /api/jobs/{id}}) and sent to its watchers. Cheap to call often: reports are throttled to about ten a
     * second per job, and the last one is always delivered before the job's outcome.
     *
     * @throws IllegalArgumentException if {@code percent} is outside 0..100 or {@code data} is larger than 8 KiB
     */
    public void progress(int percent, JsonNode data) {
        control.progress(percent, data);
    }

    /** {@link #progress(int, JsonNode)} without data. */
    public void progress(int percent) {
        progress(percent, null);
    }

    /** What a context asks of the attempt it belongs to; the worker implements it. */
    public interface Control {

        /** A context of no attempt: never cancelled, progress goes nowhere (checked all the same). */
        Control DETACHED = new Control() {
            @Override
            public boolean isCancelled() {
                return false;
            }

            @Override
            public void onCancel(Runnable callback) {
            }

            @Override
            public void progress(int percent, JsonNode data) {
                ProgressReport.of(percent, data);
            }
        };

        boolean isCancelled();

        void onCancel(Runnable callback);

        void progress(int percent, JsonNode data);
    }
}
