package io.livequeue.core;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Identifiers that cross service boundaries, and the shapes they must have. Every id that ends up inside a Redis
 * key or a Lua-built JSON string is checked against one of these patterns first, so no key or event can be
 * forged through an id.
 */
public final class Ids {

    /** Job ids are UUIDs: unique without coordination between producers. */
    public static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** Inbox ids: at least 128 random bits, base64url. */
    public static final Pattern INBOX_ID = Pattern.compile("[A-Za-z0-9_-]{22,64}");
    /** Job types name a handler: lowercase words, digits, dots, dashes and underscores. */
    public static final Pattern JOB_TYPE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private Ids() {
    }

    public static String newJobId() {
        return UUID.randomUUID().toString();
    }

    /** 128 random bits from a CSPRNG: an inbox can be neither guessed nor chosen by a client. */
    public static String newInboxId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return BASE64URL.encodeToString(bytes);
    }

    public static boolean isJobId(String value) {
        return value != null && JOB_ID.matcher(value).matches();
    }

    public static boolean isInboxId(String value) {
        return value != null && INBOX_ID.matcher(value).matches();
    }

    public static boolean isJobType(String value) {
        return value != null && JOB_TYPE.matcher(value).matches();
    }
}
