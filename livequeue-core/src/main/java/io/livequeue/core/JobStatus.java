package io.livequeue.core;

/**
 * A job's life: {@code queued → active → completed | failed (will retry) | dead (attempts used up)}. A failed
 * job goes back to {@code active} on its next attempt; {@code completed} and {@code dead} are final.
 */
public enum JobStatus {
    QUEUED, ACTIVE, COMPLETED, FAILED, DEAD;

    private static final JobStatus[] VALUES = values();

    private final String wireName = name().toLowerCase();

    public String wireName() {
        return wireName;
    }

    public boolean isFinal() {
        return this == COMPLETED || this == DEAD;
    }

    public static JobStatus fromWireName(String value) {
        JobStatus status = fromWireNameOrNull(value);
        if (status == null) {
            throw new IllegalArgumentException("unknown job status: " + value);
        }
        return status;
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
}
