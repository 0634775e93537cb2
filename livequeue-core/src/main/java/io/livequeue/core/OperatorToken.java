package io.livequeue.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks what a caller presents as the operator token. The comparison takes the same time however many leading
 * characters match, so the token cannot be guessed a character at a time by timing the answers.
 */
public final class OperatorToken {

    private final byte[] expected;

    public OperatorToken(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("livequeue.operator.token must not be empty");
        }
        this.expected = token.getBytes(StandardCharsets.UTF_8);
    }

    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
    }

    /** True for {@code Authorization: Bearer <the token>} (the scheme name in any case, as RFC 9110 allows). */
    public boolean matchesBearer(String authorization) {
        if (authorization == null || authorization.length() < 7
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return matches(authorization.substring(7).trim());
    }
}
