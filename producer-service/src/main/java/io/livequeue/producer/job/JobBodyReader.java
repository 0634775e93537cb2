package io.livequeue.producer.job;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyReader;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

/**
 * Reads a submit's body with {@link JobRequestParser} as it arrives, under the body limit: Quarkus REST hands a small
 * body over whole, a larger one as a stream on a worker thread, and either way nothing but the jobs is kept. What is
 * wrong with the body is thrown here ({@link InvalidJobException}, {@code BodyTooLargeException}) and answered as
 * problem+json by {@code ProblemMappers}. A {@link ServerMessageBodyReader}: Quarkus REST then calls it without looking
 * up the endpoint parameter's annotations, which a plain reader costs on every request (reflection: 5% of the
 * producer's CPU in a profile of one POST per job).
 */
@Provider
@Consumes(MediaType.APPLICATION_JSON)
public class JobBodyReader implements ServerMessageBodyReader<JobBody> {

    private final JobRequestParser parser;

    JobBodyReader(JobRequestParser parser) {
        this.parser = parser;
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo lazyMethod,
            MediaType mediaType) {
        return readable(type);
    }

    @Override
    public JobBody readFrom(Class<JobBody> type, Type genericType, MediaType mediaType, ServerRequestContext context) {
        return read(type, context.getRequestHeaders().getHeaderString(IdempotencyKeys.HEADER) != null,
                context.getInputStream());
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return readable(type);
    }

    @Override
    public JobBody readFrom(Class<JobBody> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, String> headers, InputStream body) {
        return read(type, headers.getFirst(IdempotencyKeys.HEADER) != null, body);
    }

    private static boolean readable(Class<?> type) {
        return type == JobBody.One.class || type == JobBody.Batch.class;
    }

    private JobBody read(Class<JobBody> type, boolean idempotent, InputStream body) {
        // only a request with an Idempotency-Key needs its fingerprint, taken from the bytes as they are parsed
        MessageDigest digest = idempotent ? IdempotencyKeys.sha256() : null;
        InputStream in = digest == null ? body : new DigestInputStream(body, digest);
        if (type == (Class<?>) JobBody.Batch.class) {
            JobRequestParser.Parsed parsed = parser.parseBatch(in);
            return new JobBody.Batch(parsed, digest == null ? null : HexFormat.of().formatHex(digest.digest()));
        }
        JobRequestParser.Parsed parsed = parser.parseOne(in);
        return new JobBody.One(parsed, digest == null ? null : HexFormat.of().formatHex(digest.digest()));
    }
}
