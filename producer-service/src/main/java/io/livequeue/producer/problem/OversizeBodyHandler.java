package io.livequeue.producer.problem;

import io.livequeue.producer.job.ProducerConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Refuses a request whose declared body is over {@code livequeue.producer.max-body-bytes} before it is read, with a
 * problem+json 413 like every other error. ({@code quarkus.http.limits.max-body-size} stays above it as the hard
 * limit for bodies sent without a length; the HTTP layer answers those with a bare 413.)
 */
@Singleton
public class OversizeBodyHandler {

    private final long maxBodyBytes;

    OversizeBodyHandler(ProducerConfig config) {
        this.maxBodyBytes = config.maxBodyBytes();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length == null || length.length() < 7 || parse(length) <= maxBodyBytes) {
                context.next();
                return;
            }
            context.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .end(new JsonObject().put("type", "urn:livequeue:problem:body-too-large")
                            .put("title", "Request body too large").put("status", 413)
                            .put("detail", "the body is " + length + " bytes, over the limit of " + maxBodyBytes
                                    + ": send large batches in smaller parts")
                            .put("instance", context.request().path()).encode());
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
