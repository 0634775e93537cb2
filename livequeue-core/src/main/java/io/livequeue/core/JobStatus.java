package io.livequeue.core;

/**
 * A job's life: {@code [scheduled →] queued → active → completed | failed (will retry) | dead (attempts used up or
 * expired)}, and {@code cancelled} from any status before a final one. A scheduled job waits for its due time; a
 * failed job goes back to {@code active} on its next attempt; {@code completed}, {@code dead} and {@code cancelled}
 * are final.
 *
 * <p>{@link #UNKNOWN} stands for a status a newer release writes and this one does not know: during a rolling
 * upgrade, old gateways read the events and job hashes
 * that new consumers and producers write. Reading never fails on a status: what is not one of the statuses above is
 * {@code UNKNOWN}, and the raw name stays where it was ({@link Job#statusName()}, the event text of an
 * {@link EventMessage}), so that it is passed on as it came. {@code UNKNOWN} is never written: this version only ever
 * records the statuses it knows. It is not final: nothing is cleaned up or forgotten on a status one does not
 * understand (see {@link #isFinal()}).
 */
public enum JobStatus {
    QUEUED, ACTIVE, COMPLETED, FAILED, DEAD,
    /** Stored, waiting for its due time ({@code runAt}); then {@code queued}. */
    SCHEDULED,
    /** Final: cancelled before it ran, or stopped by a cancel while it ran. */
    CANCELLED,
    /** A status of a newer release; its wire name here is {@code unknown}, the real one travels beside it. */
    UNKNOWN;

    private static final JobStatus[] VALUES = values();

    private final String wireName = name().toLowerCase();

    public String wireName() {
        return wireName;
    }

    /**
     * Whether no change follows: {@code completed}, {@code dead} and {@code cancelled}. {@link #UNKNOWN} is not
     * final, whatever the newer
     * release means by it: treating a final status as not final costs a gateway one needless read of the job after a
     * resubscription, while the opposite would forget a job that still changes.
     */
    public boolean isFinal() {
        return this == COMPLETED || this == DEAD || this == CANCELLED;
    }

    /** The status of that wire name; {@link #UNKNOWN} for any other text (a newer release's status) or null. */
    public static JobStatus fromWireName(String value) {
        JobStatus status = fromWireNameOrNull(value);
        return status == null ? UNKNOWN : status;
    }

    /** The status of that wire name, or null. */
    public static JobStatus fromWireNameOrNull(String value) {
        for (JobStatus status : VALUES) {
            if (status.wireName.equals(value)) {
                return status;
            }
        }
        return null;
    }

    /**
     * The status whose wire name stands in {@code text} at {@code from} and is closed there by a quote (as in
     * {@code "status":"completed"}), or null if none does: lets a scanner read a status without cutting it out.
     */
    static JobStatus atQuoted(String text, int from) {
        for (JobStatus status : VALUES) {
            int end = from + status.wireName.length();
            if (end < text.length() && text.charAt(end) == '"' && text.startsWith(status.wireName, from)) {
                return status;
            }
        }
        return null;
    }
}
