package io.livequeue.core;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

/**
 * Identifiers that cross service boundaries, and the shapes they must have. Every id that ends up inside a Redis
 * key or a Lua-built JSON string is checked against one of these shapes first, so no key or event can be
 * forged through an id. The checks are written out by hand: they run for every job on the submit path, where
 * regular expressions showed up in profiles.
 */
public final class Ids {

    /** Between a queue's name and the UUID in a job id; not a character a queue name may hold. */
    public static final char QUEUE_SEPARATOR = '~';
    private static final int UUID_LENGTH = 36;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private Ids() {
    }

    /** A new id of a job in the {@code default} queue: a plain UUID, as ids have always been. */
    public static String newJobId() {
        return UUID.randomUUID().toString();
    }

    /**
     * A new id of a job in {@code queue}: a plain UUID in {@code default}, else {@code <queue>~<uuid>}, so any
     * service can tell a job's queue (and so its keys) from its id alone, with no look-up. Clients treat ids as
     * opaque strings.
     */
    public static String newJobId(String queue) {
        String uuid = UUID.randomUUID().toString();
        return QueueNames.DEFAULT.equals(queue) ? uuid : queue + QUEUE_SEPARATOR + uuid;
    }

    /** The queue of a job id that passed {@link #isJobId}. */
    public static String queueOf(String jobId) {
        int separator = jobId.length() - UUID_LENGTH - 1;
        return separator > 0 && jobId.charAt(separator) == QUEUE_SEPARATOR ? jobId.substring(0, separator)
                : QueueNames.DEFAULT;
    }

    /** 128 random bits from a CSPRNG: an inbox can be neither guessed nor chosen by a client. */
    public static String newInboxId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return BASE64URL.encodeToString(bytes);
    }

    /**
     * Job ids are lowercase UUIDs ({@code 8-4-4-4-12} hex digits), unique without coordination; a job of a queue other
     * than {@code default} has the queue's name and {@code ~} in front ({@link #newJobId(String)}).
     */
    public static boolean isJobId(String value) {
        if (value == null || value.length() < UUID_LENGTH) {
            return false;
        }
        int start = value.length() - UUID_LENGTH;
        if (start > 0) {
            String queue = value.substring(0, start - 1);
            if (value.charAt(start - 1) != QUEUE_SEPARATOR || QueueNames.DEFAULT.equals(queue)
                    || !QueueNames.isValid(queue)) {
                return false;
            }
        }
        for (int i = 0; i < UUID_LENGTH; i++) {
            char c = value.charAt(start + i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            boolean ok = dash ? c == '-' : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Inbox ids: 22 to 64 base64url characters (at least 128 random bits). */
    public static boolean isInboxId(String value) {
        if (value == null || value.length() < 22 || value.length() > 64) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Job types name a handler: 1 to 64 lowercase letters, digits, dots, dashes, underscores; a letter or digit first. */
    public static boolean isJobType(String value) {
        if (value == null || value.isEmpty() || value.length() > 64) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean alnum = c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
            if (!(alnum || i > 0 && (c == '.' || c == '_' || c == '-'))) {
                return false;
            }
        }
        return true;
    }
}
