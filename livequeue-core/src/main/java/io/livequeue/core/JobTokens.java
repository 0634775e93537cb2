package io.livequeue.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The capability that lets a browser watch one job: an HMAC-SHA256 of the job id under a secret that the producer
 * (which issues tokens) and the gateway (which checks them) share. Stateless, so any gateway can check a token
 * without a Redis round trip. A previous secret may be accepted during a key rotation.
 */
public final class JobTokens {

    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec current;
    private final Optional<SecretKeySpec> previous;

    public JobTokens(String secret, Optional<String> previousSecret) {
        this.current = key(secret);
        this.previous = previousSecret.filter(s -> !s.isBlank()).map(JobTokens::key);
    }

    public String issue(String jobId) {
        return sign(current, jobId);
    }

    public boolean verify(String jobId, String token) {
        if (jobId == null || token == null) {
            return false;
        }
        byte[] given = token.getBytes(StandardCharsets.US_ASCII);
        return matches(current, jobId, given) || previous.map(k -> matches(k, jobId, given)).orElse(false);
    }

    private static boolean matches(SecretKeySpec key, String jobId, byte[] given) {
        return MessageDigest.isEqual(sign(key, jobId).getBytes(StandardCharsets.US_ASCII), given);
    }

    private static String sign(SecretKeySpec key, String jobId) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return BASE64URL.encodeToString(mac.doFinal(jobId.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static SecretKeySpec key(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("livequeue.token.secret must not be empty");
        }
        return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }
}
