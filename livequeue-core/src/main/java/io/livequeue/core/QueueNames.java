package io.livequeue.core;

/**
 * What a queue may be called. A queue exists from its first job (as in Sidekiq, Asynq and BullMQ); its name goes
 * into Redis key names, a hash tag and job ids, so it is checked here before it reaches any of them.
 */
public final class QueueNames {

    /** The queue of every job that names none and whose type is not routed elsewhere; it keeps the original keys. */
    public static final String DEFAULT = "default";
    public static final int MAX_LENGTH = 64;
    /** What the error of a malformed name says. */
    public static final String RULE = "1 to " + MAX_LENGTH + " of the characters A-Z a-z 0-9 _ . -";

    private QueueNames() {
    }

    /** 1 to 64 ASCII letters, digits, underscores, dots and dashes. */
    public static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.'
                    || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
