package io.livequeue.producer.job;

import io.livequeue.core.Job;
import io.livequeue.producer.problem.FieldError;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks an {@code Idempotency-Key} header and turns it into the digest its Redis key is named by (in the queue the
 * request goes to). The key is hashed (any client string makes a short, safe key name) together with the caller and
 * the endpoint, so two callers' keys never meet (draft-ietf-httpapi-idempotency-key-header: keys are the client's),
 * and one key used on single submits and on batches never mixes the two. The request's {@link #fingerprint} is kept
 * with it, so reusing a key for a different request is told apart from a retry.
 */
@Singleton
public class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";
    private static final Pattern VALID = Pattern.compile("[\\x21-\\x7e]{1,255}");

    /** The digest for this header value of this caller on this endpoint; null when the request has no key. */
    public String digest(String header, String endpoint, String owner) {
        if (header == null) {
            return null;
        }
        if (!VALID.matcher(header).matches()) {
            throw new InvalidJobException(List.of(new FieldError(HEADER,
                    "must be 1 to 255 visible ASCII characters, such as a UUID")), false);
        }
        // the anonymous caller's keys are named as before owners existed, so retries across an upgrade still match
        return sha256(Job.ANONYMOUS.equals(owner) ? endpoint + "\n" + header
                : owner + "\n" + endpoint + "\n" + header);
    }

    private static String sha256(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** A new SHA-256 digest: of key names here, of request bodies for their fingerprint ({@link JobBodyReader}). */
    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
