package io.livequeue.client;

/**
 * A job's status as the API names it. It exists so that callers switch over a closed set instead of comparing
 * strings; {@link #UNKNOWN} stands for a status a newer server may add, so that an older client keeps working
 * instead of failing to read the answer.
 */
public enum JobStatus {
    QUEUED("queued"), ACTIVE("active"), COMPLETED("completed"), FAILED("failed"), DEAD("dead"), UNKNOWN("unknown");

    private final String wireName;

    JobStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Completed and dead are final: no further change follows ({@code failed} is retried). */
    public boolean isFinal() {
        return this == COMPLETED || this == DEAD;
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
