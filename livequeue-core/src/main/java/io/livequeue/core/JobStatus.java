package io.livequeue.core;

import java.util.Arrays;

/**
 * A job's life: {@code queued → active → completed | failed (will retry) | dead (attempts used up)}. A failed
 * job goes back to {@code active} on its next attempt; {@code completed} and {@code dead} are final.
 */
public enum JobStatus {
    QUEUED, ACTIVE, COMPLETED, FAILED, DEAD;

    private final String wireName = name().toLowerCase();

    public String wireName() {
        return wireName;
    }

    public boolean isFinal() {
        return this == COMPLETED || this == DEAD;
    }

    public static JobStatus fromWireName(String value) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown job status: " + value));
    }
}
