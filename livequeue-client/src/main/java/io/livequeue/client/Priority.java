package io.livequeue.client;

/**
 * A job's priority as the API names it ({@code high}, {@code normal}, {@code low}). It exists so that a request
 * cannot carry a misspelt priority; the server takes high before normal before low, oldest first.
 */
public enum Priority {
    HIGH("high"), NORMAL("normal"), LOW("low");

    private final String wireName;

    Priority(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The priority named {@code wireName}, or null for anything else (a newer server's priority). */
    public static Priority fromWireName(String wireName) {
        for (Priority priority : values()) {
            if (priority.wireName.equals(wireName)) {
                return priority;
            }
        }
        return null;
    }
}
