package io.livequeue.producer.job;

import io.livequeue.core.Ids;
import io.livequeue.core.Job;
import io.livequeue.core.JobStatus;
import io.livequeue.core.JobTokens;
import io.livequeue.core.rdb.Enqueued;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.NewJob;
import io.livequeue.producer.auth.Callers;
import io.livequeue.producer.auth.Scopes;
import io.livequeue.producer.limit.RateLimitedException;
import io.livequeue.producer.limit.SubmitRateLimiter;
import io.livequeue.producer.metrics.SubmitMetrics;
import io.livequeue.producer.queue.QueueRegistrar;
import io.livequeue.producer.problem.Problem;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Submitting jobs and looking them up. A submit is one Redis round trip however many jobs it carries; nothing is
 * stored unless the whole request is valid, within its caller's rate, and the queue has room. Every job records its
 * caller as owner; reading it takes its owner, an operator, or the job's token ({@code Job-Token}), and anyone else is
 * told it does not exist. Cancelling takes its owner (with {@code jobs:submit}), an operator, or its token: a token is
 * the capability to watch a job and to cancel it.
 */
@Path("/api/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Jobs")
public class JobResource {

    private static final Logger LOG = Logger.getLogger(JobResource.class);
    private static final String REPLAYED = "Idempotent-Replayed";
    private static final String RATE_LIMIT_POLICY = "RateLimit-Policy", RATE_LIMIT = "RateLimit";
    /** The header that carries a job's token where no WebSocket is involved: reading (and cancelling) one job. */
    public static final String JOB_TOKEN = "Job-Token";

    private final JobStore store;
    private final QueueRegistrar registrar;
    private final IdempotencyKeys idempotency;
    private final JobTokens tokens;
    private final ProducerConfig config;
    private final SubmitMetrics metrics;
    private final SubmitRateLimiter limiter;
    private final CurrentIdentityAssociation identities;
    private final Duration retention;

    JobResource(JobStore store, QueueRegistrar registrar, IdempotencyKeys idempotency,
            JobTokens tokens, ProducerConfig config, SubmitMetrics metrics, SubmitRateLimiter limiter,
            CurrentIdentityAssociation identities,
            @ConfigProperty(name = "livequeue.consumer.retention", defaultValue = "24h") Duration retention) {
        this.retention = retention;
        this.store = store;
        this.registrar = registrar;
        this.idempotency = idempotency;
        this.tokens = tokens;
        this.config = config;
        this.metrics = metrics;
        this.limiter = limiter;
        this.identities = identities;
    }

    /** With an {@code Idempotency-Key} seen in the last 24 h, answers with that request's job and stores nothing. */
    @Operation(summary = "Submit a job")
    @APIResponse(responseCode = "202", description = "Queued (or replayed: Idempotent-Replayed: true)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = JobViews.Submitted.class)))
    @APIResponse(responseCode = "400", description = "Invalid request; every field error is listed")
    @APIResponse(responseCode = "401", description = "No valid credentials (livequeue.auth)")
    @APIResponse(responseCode = "403", description = "The credentials lack the jobs:submit scope")
    @APIResponse(responseCode = "413", description = "Body or payload too large")
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used for a different request")
    @APIResponse(responseCode = "429", description = "Over the caller's rate, or queue full; retry after Retry-After")
    @APIResponse(responseCode = "503", description = "Redis unavailable; retry after Retry-After")
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Scopes.SUBMIT)
    public Uni<RestResponse<JobViews.Submitted>> submit(JobBody.One body,
            @Parameter(in = ParameterIn.HEADER, name = IdempotencyKeys.HEADER, description = "Optional, 1 to 255 "
                    + "visible ASCII characters; a repeat within 24 h answers with the first request's job(s)")
            @HeaderParam(IdempotencyKeys.HEADER) String key) {
        return identities.getDeferredIdentity().flatMap(identity -> {
            String owner = Callers.owner(identity);
            JobStore.Idempotency remembered = idempotent(key, "jobs", owner, body);
            JobRequestParser.Parsed job = body.parsed();
            String rate = admit(owner, 1);
            // a typed RestResponse lets Quarkus REST pick the JSON writer once, at build time, not per request
            return enqueue(job, owner, remembered).map(submitted -> RestResponse.ResponseBuilder
                    .accepted(submitted.jobs().get(0))
                    .location(URI.create("/api/jobs/" + submitted.jobs().get(0).id()))
                    .header(REPLAYED, submitted.replayed() ? "true" : null)
                    .header(RATE_LIMIT_POLICY, rate == null ? null : limiter.policy())
                    .header(RATE_LIMIT, rate).build());
        });
    }

    @Operation(summary = "Submit a batch of jobs, all or none")
    @APIResponse(responseCode = "202", description = "All queued (or replayed: Idempotent-Replayed: true)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = JobViews.SubmittedBatch.class)))
    @APIResponse(responseCode = "400", description = "Invalid request; every field error is listed")
    @APIResponse(responseCode = "401", description = "No valid credentials (livequeue.auth)")
    @APIResponse(responseCode = "403", description = "The credentials lack the jobs:submit scope")
    @APIResponse(responseCode = "413", description = "Body or payload too large")
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used for a different request")
    @APIResponse(responseCode = "429", description = "Over the caller's rate, or queue full; retry after Retry-After")
    @APIResponse(responseCode = "503", description = "Redis unavailable; retry after Retry-After")
    @POST
    @Path("/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Scopes.SUBMIT)
    public Uni<RestResponse<JobViews.SubmittedBatch>> submitBatch(JobBody.Batch body,
            @Parameter(in = ParameterIn.HEADER, name = IdempotencyKeys.HEADER, description = "Optional, 1 to 255 "
                    + "visible ASCII characters; a repeat within 24 h answers with the first request's job(s)")
            @HeaderParam(IdempotencyKeys.HEADER) String key) {
        return identities.getDeferredIdentity().flatMap(identity -> {
            String owner = Callers.owner(identity);
            JobStore.Idempotency remembered = idempotent(key, "batch", owner, body);
            JobRequestParser.Parsed jobs = body.parsed();
            String rate = admit(owner, jobs.jobs().size());
            return enqueue(jobs, owner, remembered).map(submitted -> RestResponse.ResponseBuilder
                    .accepted(new JobViews.SubmittedBatch(submitted.jobs()))
                    .header(REPLAYED, submitted.replayed() ? "true" : null)
                    .header(RATE_LIMIT_POLICY, rate == null ? null : limiter.policy())
                    .header(RATE_LIMIT, rate).build());
        });
    }

    private record Submission(List<JobViews.Submitted> jobs, boolean replayed) {
    }

    private JobStore.Idempotency idempotent(String key, String endpoint, String owner, JobBody body) {
        String digest = idempotency.digest(key, endpoint, owner);
        return digest == null ? null : new JobStore.Idempotency(digest, config.idempotencyTtl(), body.fingerprint());
    }

    /** Counts the jobs against the caller's rate; the RateLimit field value, or null when the caller has no limit. */
    private String admit(String owner, int jobs) {
        if (!limiter.applies(owner)) {
            return null;
        }
        SubmitRateLimiter.Decision decision = limiter.take(owner, jobs);
        if (!decision.allowed()) {
            throw new RateLimitedException(jobs > limiter.burst()
                    ? jobs + " jobs are more than this client may submit at once (" + limiter.burst()
                            + "): split the batch"
                    : "this client submits jobs faster than its limit; retry after Retry-After",
                    decision, limiter.policy(), limiter.fieldValue(decision));
        }
        return limiter.fieldValue(decision);
    }

    /** Registers the queue at its first job from this producer, then stores the jobs in one round trip. */
    private Uni<Submission> enqueue(JobRequestParser.Parsed parsed, String owner, JobStore.Idempotency remembered) {
        List<NewJob> jobs = parsed.jobs();
        return registrar.ensure(parsed.queue()).flatMap(registered -> store.enqueue(parsed.queue(), jobs,
                config.maxWaiting(), owner, remembered)).flatMap(result -> {
            if (!result.replayed()) {
                metrics.submitted(parsed.queue(), jobs);
                return Uni.createFrom().item(new Submission(jobs.stream()
                        .map(job -> submitted(job, result.createdAt())).toList(), false));
            }
            return replay(result, remembered);
        });
    }

    /** The answer to a repeated Idempotency-Key: the first request's receipt, if this is that same request. */
    private Uni<Submission> replay(Enqueued first, JobStore.Idempotency remembered) {
        if (first.fingerprint() != null && !first.fingerprint().equals(remembered.fingerprint())) {
            throw new IdempotencyKeyReusedException();
        }
        if (first.firstJobs() != null) {
            Instant createdAt = Instant.ofEpochMilli(first.createdAt());
            return Uni.createFrom().item(new Submission(first.firstJobs().stream()
                    .map(job -> new JobViews.Submitted(job.id(), job.type(), job.runAt() == null
                            ? JobStatus.QUEUED.wireName() : JobStatus.SCHEDULED.wireName(), job.priority().wireName(),
                            tokens.issue(job.id()), createdAt, Ids.queueOf(job.id()),
                            job.runAt() == null ? null : Instant.ofEpochMilli(job.runAt()), null))
                    .toList(), true));
        }
        // a key stored before receipts existed holds only ids: answer from the jobs while they are there
        return store.findAll(first.firstIds()).map(found -> {
            if (found.size() < first.firstIds().size()) {
                throw new IdempotencyKeyReusedException.JobsGone();
            }
            return new Submission(found.stream()
                    .map(job -> new JobViews.Submitted(job.id(), job.type(), JobStatus.QUEUED.wireName(),
                            job.priority().wireName(), tokens.issue(job.id()), Instant.ofEpochMilli(job.createdAt()),
                            job.queue()))
                    .toList(), true);
        });
    }

    @Operation(summary = "Look up a job")
    @APIResponse(responseCode = "200", description = "The job",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = JobViews.Detail.class)))
    @APIResponse(responseCode = "400", description = "Not a job id")
    @APIResponse(responseCode = "401", description = "Neither the job's token nor valid credentials")
    @APIResponse(responseCode = "403", description = "The credentials lack the jobs:read scope")
    @APIResponse(responseCode = "404", description = "No such job of this caller (finished jobs expire)")
    @APIResponse(responseCode = "503", description = "Redis unavailable")
    @GET
    @Path("/{id}")
    public Uni<Response> get(@PathParam("id") String id,
            @Parameter(in = ParameterIn.HEADER, name = JOB_TOKEN, description = "The job's token, as the submit "
                    + "answered it: reads this one job without other credentials")
            @HeaderParam(JOB_TOKEN) String jobToken) {
        return withAccess(id, "", jobToken, Scopes.READ, access -> find(id, access::mayUse));
    }

    @Operation(summary = "Cancel a job")
    @APIResponse(responseCode = "200", description = "It was waiting (queued, scheduled, or waiting to retry) and is "
            + "cancelled: it will never run",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = JobViews.Detail.class)))
    @APIResponse(responseCode = "202", description = "It runs: its handler is told (cancelRequested); the job ends "
            + "cancelled, or completed if the handler finished first")
    @APIResponse(responseCode = "400", description = "Not a job id")
    @APIResponse(responseCode = "401", description = "Neither the job's token nor valid credentials")
    @APIResponse(responseCode = "403", description = "The credentials lack the jobs:submit scope")
    @APIResponse(responseCode = "404", description = "No such job of this caller (finished jobs expire)")
    @APIResponse(responseCode = "409", description = "The job has finished already (completed, dead or cancelled)")
    @APIResponse(responseCode = "503", description = "Redis unavailable")
    @POST
    @Path("/{id}/cancel")
    public Uni<Response> cancel(@PathParam("id") String id,
            @Parameter(in = ParameterIn.HEADER, name = JOB_TOKEN, description = "The job's token, as the submit "
                    + "answered it: a token is the capability to watch the job and to cancel it")
            @HeaderParam(JOB_TOKEN) String jobToken) {
        return withAccess(id, "/cancel", jobToken, Scopes.SUBMIT, access -> access.owner() == null
                ? cancelAs(id, access.who())
                // the owner's own job only: anyone else's is the same 404 as a job that does not exist
                : store.find(id).flatMap(job -> job.filter(access::mayUse).isPresent() ? cancelAs(id, access.who())
                        : Uni.createFrom().item(notFound(id))));
    }

    /**
     * Who asks about one job: its token's holder or an operator, who may use any job ({@code owner} null), or a caller
     * with the endpoint's scope, who may use its own ({@code owner} is that caller).
     */
    private record Access(String who, String owner) {
        boolean mayUse(Job job) {
            return owner == null || owner.equals(job.owner());
        }
    }

    /**
     * The one rule of the endpoints about one job: a malformed id is 400; the job's token or an operator may use it;
     * else the caller needs {@code scope} (none at all: 401; without it: 403) and gets only its own jobs.
     */
    private Uni<Response> withAccess(String id, String path, String jobToken, String scope,
            Function<Access, Uni<Response>> action) {
        if (!Ids.isJobId(id)) {
            return Uni.createFrom().item(Problem.response(400, "invalid-job-id", "Invalid job id",
                    "job ids are as POST /api/jobs returns them", "/api/jobs/" + id + path, null).build());
        }
        if (jobToken != null && tokens.verify(id, jobToken)) {
            return action.apply(new Access("token holder", null));
        }
        return identities.getDeferredIdentity().flatMap(identity -> {
            if (Callers.isOperator(identity)) {
                return action.apply(new Access("operator " + Callers.owner(identity), null));
            }
            if (!identity.hasRole(scope)) {
                if (identity.isAnonymous()) {
                    throw new UnauthorizedException();
                }
                throw new ForbiddenException("these credentials lack the " + scope + " scope");
            }
            String owner = Callers.owner(identity);
            return action.apply(new Access(owner, owner));
        });
    }

    private Uni<Response> cancelAs(String id, String who) {
        return store.cancel(id, retention).flatMap(result -> switch (result) {
            case NOT_FOUND -> Uni.createFrom().item(notFound(id));
            case FINISHED -> store.find(id).map(job -> Problem.response(409, "job-finished", "Job finished",
                    "job " + id + " is " + job.map(Job::statusName).orElse("gone") + " already: only a job that has "
                            + "not finished can be cancelled", "/api/jobs/" + id + "/cancel", null).build());
            case CANCELLED, REQUESTED -> {
                LOG.infof("job %s: cancelled by %s%s", id, who, result == JobStore.Cancelled.REQUESTED
                        ? " while it runs: its handler is told" : "");
                yield store.find(id).map(job -> job.map(j -> Response.status(result == JobStore.Cancelled.CANCELLED
                        ? 200 : 202).entity(JobViews.Detail.of(j, result == JobStore.Cancelled.REQUESTED
                                && j.status() == JobStatus.ACTIVE)).build()).orElseGet(() -> notFound(id)));
            }
        });
    }

    private static Response notFound(String id) {
        return Problem.response(404, "job-not-found", "Job not found",
                "no job " + id + " (finished jobs expire after their retention time)", "/api/jobs/" + id, null)
                .build();
    }

    /** The job when {@code visible} lets this caller see it, else the same 404 as for a job that does not exist. */
    private Uni<Response> find(String id, Predicate<Job> visible) {
        return store.find(id).map(job -> job.filter(visible).map(j -> Response.ok(JobViews.Detail.of(j)).build())
                .orElseGet(() -> notFound(id)));
    }

    private JobViews.Submitted submitted(NewJob job, long createdAt) {
        Long runAt = job.runAt().resolve(createdAt);
        Long expiresAt = job.expiresAt().resolve(createdAt);
        boolean scheduled = runAt != null && runAt > createdAt; // as enqueue.lua decides, on the same clock
        return new JobViews.Submitted(job.id(), job.type(), (scheduled ? JobStatus.SCHEDULED : JobStatus.QUEUED)
                .wireName(), job.priority().wireName(), tokens.issue(job.id()), Instant.ofEpochMilli(createdAt),
                Ids.queueOf(job.id()), scheduled ? Instant.ofEpochMilli(runAt) : null,
                expiresAt == null ? null : Instant.ofEpochMilli(expiresAt));
    }
}
