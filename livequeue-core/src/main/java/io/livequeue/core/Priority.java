package io.livequeue.core;

import java.util.Arrays;
import java.util.Optional;

/**
 * The three queues a job can wait in. Workers always drain {@link #HIGH} before {@link #NORMAL} before
 * {@link #LOW}; the declaration order is that pick order, and {@link #wireName()} is how the REST API, the
 * events and the Redis keys spell it.
 */
public enum Priority {
    HIGH, NORMAL, LOW;

    public static final Priority DEFAULT = NORMAL;

    private final String wireName = name().toLowerCase();

    public String wireName() {
        return wireName;
    }

    public static Optional<Priority> fromWireName(String value) {
        return Arrays.stream(values()).filter(p -> p.wireName.equals(value)).findFirst();
    }
}
