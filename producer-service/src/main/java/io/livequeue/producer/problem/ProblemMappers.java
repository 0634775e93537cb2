package io.livequeue.producer.problem;

import io.livequeue.core.rdb.QueueFullException;
import io.livequeue.core.rdb.StorageFullException;
import io.livequeue.core.rdb.StorageUnavailableException;
import io.livequeue.producer.auth.BearerMechanism;
import io.livequeue.producer.job.IdempotencyKeyReusedException;
import io.livequeue.producer.job.InvalidJobException;
import io.livequeue.producer.limit.RateLimitedException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.livequeue.producer.job.ProducerConfig;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every failure the producer can meet becomes a problem+json answer with a 4xx or 503 status: invalid jobs, full
 * queues, an unreachable Redis or one out of memory, and the framework's own errors (unknown path, wrong method or
 * content type). An unexpected exception is logged here and answered with a 500 problem that carries no stack trace.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private final ProducerConfig config;

    ProblemMappers(ProducerConfig config) {
        this.config = config;
    }

    @ServerExceptionMapper
    public Response invalidJob(InvalidJobException e, HttpServerRequest request, RoutingContext context) {
        Response.ResponseBuilder response;
        if (e.tooLarge()) {
            response = Problem.response(413, "payload-too-large", "Payload too large", e.getMessage(), request.path(),
                    e.errors());
        } else {
            String detail = e.count() == 1 ? e.getMessage() : e.count() + " fields are invalid"
                    + (e.count() > e.errors().size() ? " (the first " + e.errors().size() + " are listed)" : "");
            response = Problem.response(400, "invalid-job", "Invalid job request", detail, request.path(), e.errors());
        }
        return (e.bodyUnread() ? closing(response, context) : response).build();
    }

    /** A body sent in chunks that went over the limit while it was read: the rest is not read. */
    @ServerExceptionMapper
    public Response bodyTooLarge(BodyTooLargeException e, HttpServerRequest request, RoutingContext context) {
        return closing(Problem.response(413, "body-too-large", "Request body too large", e.getMessage(),
                request.path(), null), context).build();
    }

    /** An answer sent before the request's body was all read: see {@link EarlyAnswer}. */
    private static Response.ResponseBuilder closing(Response.ResponseBuilder response, RoutingContext context) {
        EarlyAnswer.closeAfter(context); // its Connection header stays on the response Quarkus REST writes
        return response;
    }

    @ServerExceptionMapper
    public Response queueFull(QueueFullException e, HttpServerRequest request) {
        return Problem.response(429, "queue-full", "Queue full", e.getMessage() + "; try again later", request.path(),
                null).header(HttpHeaders.RETRY_AFTER, retryAfterSeconds()).build();
    }

    @ServerExceptionMapper
    public Response storageUnavailable(StorageUnavailableException e, HttpServerRequest request) {
        LOG.warnf("%s %s: %s", request.method(), request.path(), e.getMessage());
        String detail = e.outcomeUnknown()
                ? "the job store (Redis) did not answer in time: the request may or may not have taken effect; "
                        + "retry with the same Idempotency-Key to be safe"
                : "the job store (Redis) cannot be reached; nothing was changed, try again later";
        return Problem.response(503, "redis-unavailable", "Service unavailable", detail, request.path(), null)
                .header(HttpHeaders.RETRY_AFTER, retryAfterSeconds()).build();
    }

    /**
     * Redis is at its maxmemory and evicts nothing: 503 as for an unreachable Redis (clients retry it after
     * Retry-After), but saying that nothing was stored, so no Idempotency-Key is needed to retry safely.
     */
    @ServerExceptionMapper
    public Response storageFull(StorageFullException e, HttpServerRequest request) {
        LOG.warnf("%s %s: %s", request.method(), request.path(), e.getMessage());
        return Problem.response(503, "redis-full", "Service unavailable", "the job store (Redis) is out of memory "
                + "and refuses new data (it evicts nothing, so no job is lost): nothing was stored; try again later",
                request.path(), null).header(HttpHeaders.RETRY_AFTER, retryAfterSeconds()).build();
    }

    @ServerExceptionMapper
    public Response rateLimited(RateLimitedException e, HttpServerRequest request) {
        return Problem.response(429, "rate-limited", "Too many jobs", e.getMessage(), request.path(), null)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(e.decision().retryAfterSeconds()))
                .header("RateLimit-Policy", e.policy()).header("RateLimit", e.field()).build();
    }

    @ServerExceptionMapper
    public Response idempotencyKeyReused(IdempotencyKeyReusedException e, HttpServerRequest request) {
        boolean gone = e instanceof IdempotencyKeyReusedException.JobsGone;
        return Problem.response(gone ? 409 : 422, gone ? "idempotency-key-jobs-gone" : "idempotency-key-reused",
                gone ? "Jobs of this Idempotency-Key are gone" : "Idempotency-Key reused", e.getMessage(),
                request.path(), null).build();
    }

    /** No credentials where they are needed (an anonymous caller without the scope). */
    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, HttpServerRequest request) {
        return Problem.response(401, "unauthorized", "Unauthorized", "this endpoint needs credentials: send "
                + "Authorization: Bearer <API key, JWT or operator token>", request.path(), null)
                .header(HttpHeaders.WWW_AUTHENTICATE, BearerMechanism.CHALLENGE).build();
    }

    /** Credentials that are not valid: a forged, expired or foreign JWT, an unknown or revoked API key. */
    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, HttpServerRequest request) {
        return Problem.response(401, "unauthorized", "Unauthorized", "the credentials are not valid"
                + (e.getMessage() == null || e.getMessage().isBlank() ? "" : ": " + e.getMessage()), request.path(),
                null).header(HttpHeaders.WWW_AUTHENTICATE, BearerMechanism.CHALLENGE + ", error=\"invalid_token\"")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        return Problem.response(403, "forbidden", "Forbidden", e.getMessage() == null || e.getMessage().isBlank()
                ? "these credentials lack the scope this endpoint needs" : e.getMessage(), request.path(), null)
                .build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, HttpServerRequest request) {
        int status = e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "HTTP " + status : known.getReasonPhrase();
        String detail = switch (status) {
            case 404 -> "there is nothing at " + request.method() + " " + request.path();
            case 405 -> request.method() + " is not allowed on " + request.path();
            case 415 -> "send the body as Content-Type: application/json";
            case 406 -> "this endpoint answers application/json";
            default -> e.getMessage();
        };
        Response.ResponseBuilder response = Problem.response(status, slug(title), title, detail, request.path(), null);
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE) && !name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                values.forEach(v -> response.header(name, v));
            }
        });
        return response.build();
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e, HttpServerRequest request) {
        LOG.errorf(e, "unexpected failure on %s %s", request.method(), request.path());
        return Problem.response(500, "internal-error", "Internal error",
                "an unexpected error occurred; it has been logged", request.path(), null).build();
    }

    private String retryAfterSeconds() {
        return Long.toString(Math.max(1, config.retryAfter().toSeconds()));
    }

    private static String slug(String title) {
        return title.toLowerCase().replaceAll("[^a-z0-9]+", "-");
    }
}
