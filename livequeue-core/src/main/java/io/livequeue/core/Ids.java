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

    /** Job ids are lowercase UUIDs ({@code 8-4-4-4-12} hex digits): unique without coordination. */
    public static boolean isJobId(String value) {
        if (value == null || value.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = value.charAt(i);
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
