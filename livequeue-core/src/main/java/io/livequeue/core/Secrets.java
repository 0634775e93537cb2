package io.livequeue.core;

import java.nio.charset.StandardCharsets;

/**
 * The rule every shared secret follows in production (the job-token secret, the operator token): not a value printed
 * in the README, and at least 32 bytes. A service that breaks it refuses to start with one line naming the variable
 * to set, instead of warning and running with a secret anyone can look up.
 */
public final class Secrets {

    public static final int MIN_BYTES = 32;

    private Secrets() {
    }

    /**
     * Throws when {@code value} is {@code devDefault} or shorter than {@link #MIN_BYTES} bytes; {@code property} and
     * {@code envVar} name the setting in the message.
     */
    public static void requireStrong(String property, String envVar, String value, String devDefault) {
        String problem = problem(value, devDefault);
        if (problem != null) {
            throw new IllegalStateException(property + " " + problem + ": set " + envVar
                    + " to a random value of at least " + MIN_BYTES + " bytes (e.g. openssl rand -base64 32)");
        }
    }

    /** Why {@code value} is not a production secret, or null when it is one. */
    public static String problem(String value, String devDefault) {
        if (value == null || value.isBlank()) {
            return "is empty";
        }
        if (value.equals(devDefault)) {
            return "is the development default, printed in the README";
        }
        if (value.getBytes(StandardCharsets.UTF_8).length < MIN_BYTES) {
            return "is shorter than " + MIN_BYTES + " bytes";
        }
        return null;
    }
}
