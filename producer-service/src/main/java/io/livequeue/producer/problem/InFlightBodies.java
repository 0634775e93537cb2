package io.livequeue.producer.problem;

import io.livequeue.producer.job.ProducerConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the request bodies in flight at once, so that many concurrent large requests cannot together exhaust the
 * heap, which no per-request limit prevents: a valid batch costs about 2.5 bytes of heap per byte of body until it is
 * in Redis (its payloads as strings, then the Redis command built from them; measured at -Xmx64m: four concurrent
 * 4 MiB batches fit, the fifth ran out of memory). Each request with a body holds its declared length (the body limit
 * when it is sent in chunks) from its arrival until its answer is sent or its connection closes; one that would take
 * the total over {@code livequeue.producer.max-body-bytes-in-flight} (default: a fifth of the heap) gets a problem+json
 * 503 with Retry-After before anything of its body is read. A request is always let in when none is in flight, so a
 * heap too small for the budget still takes one maximum-size body at a time. At /q/metrics:
 * {@code livequeue_producer_body_bytes_in_flight_bytes} and {@code livequeue_producer_body_bytes_budget_bytes}.
 */
@Singleton
public class InFlightBodies {

    private final long maxBodyBytes;
    private final long budget;
    private final String retryAfter;
    private final AtomicLong inFlight = new AtomicLong();

    InFlightBodies(ProducerConfig config, MeterRegistry registry) {
        this.maxBodyBytes = config.maxBodyBytes();
        this.budget = config.maxBodyBytesInFlight().orElse(Runtime.getRuntime().maxMemory() / 5);
        this.retryAfter = Long.toString(Math.max(1, config.retryAfter().toSeconds()));
        Gauge.builder("livequeue.producer.body.bytes.in.flight", inFlight, AtomicLong::get)
                .description("Bytes of request bodies being read or handled (declared lengths)").baseUnit("bytes")
                .register(registry);
        Gauge.builder("livequeue.producer.body.bytes.budget", () -> budget)
                .description("Bytes of request bodies allowed in flight at once").baseUnit("bytes").register(registry);
    }

    /** Bytes of bodies currently held. */
    public long inFlight() {
        return inFlight.get();
    }

    public long budget() {
        return budget;
    }

    void install(@Observes Router router) {
        // right after OversizeBodyHandler: a body declared over the limit has been refused already
        router.route().order(Integer.MIN_VALUE + 1).handler(this::admit);
    }

    private void admit(RoutingContext context) {
        long size = size(context);
        if (size == 0) {
            context.next();
            return;
        }
        if (!reserve(size)) {
            context.response().setStatusCode(503).putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                    .putHeader(HttpHeaders.RETRY_AFTER, retryAfter);
            EarlyAnswer.closeAfter(context);
            context.response().end(new JsonObject().put("type", "urn:livequeue:problem:busy")
                    .put("title", "Service busy").put("status", 503)
                    .put("detail", "the producer is reading as many request bodies as its memory allows (" + budget
                            + " bytes); nothing was changed, try again later")
                    .put("instance", context.request().path()).encode());
            return;
        }
        context.addEndHandler(done -> inFlight.addAndGet(-size));
        context.next();
    }

    private boolean reserve(long size) {
        while (true) {
            long now = inFlight.get();
            if (now > 0 && now + size > budget) {
                return false;
            }
            if (inFlight.compareAndSet(now, now + size)) {
                return true;
            }
        }
    }

    /** What a request's body may hold: its declared length, the limit when it has none, 0 for no body. */
    private long size(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                return Math.max(0, Math.min(Long.parseLong(length.trim()), maxBodyBytes));
            } catch (NumberFormatException e) {
                return maxBodyBytes;
            }
        }
        // HTTP/1.1: without a length, a body comes in chunks or not at all; HTTP/2 may send one without a length
        boolean chunked = context.request().version() == HttpVersion.HTTP_2 ? !context.request().isEnded()
                : context.request().getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
        return chunked ? maxBodyBytes : 0;
    }
}
