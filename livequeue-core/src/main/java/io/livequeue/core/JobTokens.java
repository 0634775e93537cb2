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

    private final ThreadLocal<Mac> current;
    private final Optional<ThreadLocal<Mac>> previous;

    public JobTokens(String secret, Optional<String> previousSecret) {
        this.current = macs(key(secret));
        this.previous = previousSecret.filter(s -> !s.isBlank()).map(s -> macs(key(s)));
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

    private static boolean matches(ThreadLocal<Mac> mac, String jobId, byte[] given) {
        return MessageDigest.isEqual(sign(mac, jobId).getBytes(StandardCharsets.US_ASCII), given);
    }

    private static String sign(ThreadLocal<Mac> mac, String jobId) {
        // doFinal resets the Mac for the next use; looking one up and keying it costs more than the HMAC itself
        return BASE64URL.encodeToString(mac.get().doFinal(jobId.getBytes(StandardCharsets.UTF_8)));
    }

    private static ThreadLocal<Mac> macs(SecretKeySpec key) {
        return ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance(ALGORITHM);
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
        });
    }

    private static SecretKeySpec key(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("livequeue.token.secret must not be empty");
        }
        return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }
}
