package io.livequeue.producer.job;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * Reads a submit's body with {@link JobRequestParser} as it arrives, under the body limit: Quarkus REST hands a small
 * body over whole, a larger one as a stream on a worker thread, and either way nothing but the jobs is kept. What is
 * wrong with the body is thrown here ({@link InvalidJobException}, {@code BodyTooLargeException}) and answered as
 * problem+json by {@code ProblemMappers}.
 */
@Provider
@Consumes(MediaType.APPLICATION_JSON)
public class JobBodyReader implements MessageBodyReader<JobBody> {

    private final JobRequestParser parser;

    JobBodyReader(JobRequestParser parser) {
        this.parser = parser;
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == JobBody.One.class || type == JobBody.Batch.class;
    }

    @Override
    public JobBody readFrom(Class<JobBody> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, String> headers, InputStream body) {
        // only a request with an Idempotency-Key needs its fingerprint, taken from the bytes as they are parsed
        MessageDigest digest = headers.getFirst(IdempotencyKeys.HEADER) == null ? null : IdempotencyKeys.sha256();
        InputStream in = digest == null ? body : new DigestInputStream(body, digest);
        if (type == (Class<?>) JobBody.Batch.class) {
            JobRequestParser.Parsed parsed = parser.parseBatch(in);
            return new JobBody.Batch(parsed, digest == null ? null : HexFormat.of().formatHex(digest.digest()));
        }
        JobRequestParser.Parsed parsed = parser.parseOne(in);
        return new JobBody.One(parsed, digest == null ? null : HexFormat.of().formatHex(digest.digest()));
    }
}
