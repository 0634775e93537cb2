package io.livequeue.producer.job;

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
 * request goes to). The key is hashed (any client string makes a short, safe key name) together with the endpoint, so
 * one key used on single submits and on batches never mixes the two.
 */
@Singleton
public class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";
    private static final Pattern VALID = Pattern.compile("[\\x21-\\x7e]{1,255}");

    /** The digest for this header value on this endpoint; null when the request has no key. */
    public String digest(String header, String endpoint) {
        if (header == null) {
            return null;
        }
        if (!VALID.matcher(header).matches()) {
            throw new InvalidJobException(List.of(new FieldError(HEADER,
                    "must be 1 to 255 visible ASCII characters, such as a UUID")), false);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((endpoint + "\n" + header).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
