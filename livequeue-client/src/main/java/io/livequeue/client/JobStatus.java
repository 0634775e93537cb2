package io.livequeue.client;

/**
 * A job's status as the API names it. It exists so that callers switch over a closed set instead of comparing
 * strings; {@link #UNKNOWN} stands for a status a newer server may add, so that an older client keeps working
 * instead of failing to read the answer. Life: {@code [scheduled →] queued → active → completed | failed (retried)
 * | dead}, and {@code cancelled} from any status before a final one.
 */
public enum JobStatus {
    QUEUED("queued"), ACTIVE("active"), COMPLETED("completed"), FAILED("failed"), DEAD("dead"),
    /** Stored, waiting for its due time ({@code runAt}); then {@code queued}. */
    SCHEDULED("scheduled"),
    /** Final: cancelled before it ran, or stopped by a cancel while it ran. */
    CANCELLED("cancelled"),
    UNKNOWN("unknown");

    private final String wireName;

    JobStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Completed, dead and cancelled are final: no further change follows ({@code failed} is retried). */
    public boolean isFinal() {
        return this == COMPLETED || this == DEAD || this == CANCELLED;
    }

    /** The status named {@code wireName}, {@link #UNKNOWN} for any other text or null. */
    public static JobStatus fromWireName(String wireName) {
        for (JobStatus status : values()) {
            if (status.wireName.equals(wireName)) {
                return status;
            }
        }
        return UNKNOWN;
    }
}
