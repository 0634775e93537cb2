package io.livequeue.producer.problem;

import io.livequeue.producer.job.ProducerConfig;
import io.quarkus.vertx.http.runtime.VertxHttpRecorder;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * The body limit, {@code livequeue.producer.max-body-bytes} (which {@code quarkus.http.limits.max-body-size} is set
 * to), answered with a problem+json 413 like every other error, whether the body declares its length or not:
 * <ul>
 * <li>a request whose Content-Length is over the limit is refused here, before anything is read;</li>
 * <li>a body sent in chunks is counted as it is read ({@link LimitedInputStream}): the read that passes the limit
 * throws {@link BodyTooLargeException}, which {@link ProblemMappers} answers, closing the connection. For such bodies
 * the HTTP layer's own check (a bare 413 without a body, sent when it has received more than its limit) is moved
 * {@value #BACKSTOP_SLACK} bytes further, so that the exact count comes first; it stays as the backstop for anything
 * that would read a body without counting.</li>
 * </ul>
 */
@Singleton
public class OversizeBodyHandler {

    /** How far past the limit the HTTP layer's own check of a chunked body sits (it sees buffers read ahead). */
    static final long BACKSTOP_SLACK = 1 << 20;

    private final long maxBodyBytes;

    OversizeBodyHandler(ProducerConfig config) {
        this.maxBodyBytes = config.maxBodyBytes();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length == null || parse(length) <= maxBodyBytes) {
                context.next();
                return;
            }
            context.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json");
            EarlyAnswer.closeAfter(context);
            context.response().end(new JsonObject().put("type", "urn:livequeue:problem:body-too-large")
                    .put("title", "Request body too large").put("status", 413)
                    .put("detail", BodyTooLargeException.detail(length.trim(), maxBodyBytes))
                    .put("instance", context.request().path()).encode());
        });
        // Quarkus's own limit handler runs at order -2 and, for a body without a Content-Length, leaves its limit here
        router.route().order(-1).handler(context -> {
            if (context.get(VertxHttpRecorder.MAX_REQUEST_SIZE_KEY) != null) {
                context.put(VertxHttpRecorder.MAX_REQUEST_SIZE_KEY, maxBodyBytes + BACKSTOP_SLACK);
            }
            context.next();
        });
    }

    private static long parse(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
