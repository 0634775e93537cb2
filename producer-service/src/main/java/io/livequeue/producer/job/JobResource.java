package io.livequeue.producer.job;

import io.livequeue.core.Ids;
import io.livequeue.core.JobStatus;
import io.livequeue.core.JobTokens;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.NewJob;
import io.livequeue.producer.metrics.SubmitMetrics;
import io.livequeue.producer.queue.QueueRegistrar;
import io.livequeue.producer.problem.Problem;
import io.smallrye.mutiny.Uni;
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
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Submitting jobs and looking them up. A submit is one Redis round trip however many jobs it carries; nothing is
 * stored unless the whole request is valid and the queue has room.
 */
@Path("/api/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Jobs")
public class JobResource {

    private static final String REPLAYED = "Idempotent-Replayed";

    private final JobStore store;
    private final QueueRegistrar registrar;
    private final JobRequestParser parser;
    private final IdempotencyKeys idempotency;
    private final JobTokens tokens;
    private final ProducerConfig config;
    private final SubmitMetrics metrics;

    JobResource(JobStore store, QueueRegistrar registrar, JobRequestParser parser, IdempotencyKeys idempotency,
            JobTokens tokens, ProducerConfig config, SubmitMetrics metrics) {
        this.store = store;
        this.registrar = registrar;
        this.parser = parser;
        this.idempotency = idempotency;
        this.tokens = tokens;
        this.config = config;
        this.metrics = metrics;
    }

    /** With an {@code Idempotency-Key} seen in the last 24 h, answers with that request's job and stores nothing. */
    @Operation(summary = "Submit a job")
    @APIResponse(responseCode = "202", description = "Queued (or replayed: Idempotent-Replayed: true)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = JobViews.Submitted.class)))
    @APIResponse(responseCode = "400", description = "Invalid request; every field error is listed")
    @APIResponse(responseCode = "413", description = "Body or payload too large")
    @APIResponse(responseCode = "429", description = "Queue full; retry after Retry-After")
    @APIResponse(responseCode = "503", description = "Redis unavailable; retry after Retry-After")
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<JobViews.Submitted>> submit(JobBody.One body,
            @Parameter(in = ParameterIn.HEADER, name = IdempotencyKeys.HEADER, description = "Optional, 1 to 255 "
                    + "visible ASCII characters; a repeat within 24 h answers with the first request's job(s)")
            @HeaderParam(IdempotencyKeys.HEADER) String key) {
        String digest = idempotency.digest(key, "jobs");
        JobRequestParser.Parsed job = body.parsed();
        // a typed RestResponse lets Quarkus REST pick the JSON writer once, at build time, not per request
        return enqueue(job, digest).map(submitted -> RestResponse.ResponseBuilder
                .accepted(submitted.jobs().get(0))
                .location(URI.create("/api/jobs/" + submitted.jobs().get(0).id()))
                .header(REPLAYED, submitted.replayed() ? "true" : null).build());
    }

    @Operation(summary = "Submit a batch of jobs, all or none")
    @APIResponse(responseCode = "202", description = "All queued (or replayed: Idempotent-Replayed: true)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = JobViews.SubmittedBatch.class)))
    @APIResponse(responseCode = "400", description = "Invalid request; every field error is listed")
    @APIResponse(responseCode = "413", description = "Body or payload too large")
    @APIResponse(responseCode = "429", description = "Queue full; retry after Retry-After")
    @APIResponse(responseCode = "503", description = "Redis unavailable; retry after Retry-After")
    @POST
    @Path("/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<JobViews.SubmittedBatch>> submitBatch(JobBody.Batch body,
            @Parameter(in = ParameterIn.HEADER, name = IdempotencyKeys.HEADER, description = "Optional, 1 to 255 "
                    + "visible ASCII characters; a repeat within 24 h answers with the first request's job(s)")
            @HeaderParam(IdempotencyKeys.HEADER) String key) {
        String digest = idempotency.digest(key, "batch");
        JobRequestParser.Parsed jobs = body.parsed();
        return enqueue(jobs, digest).map(submitted -> RestResponse.ResponseBuilder
                .accepted(new JobViews.SubmittedBatch(submitted.jobs()))
                .header(REPLAYED, submitted.replayed() ? "true" : null).build());
    }

    private record Submission(List<JobViews.Submitted> jobs, boolean replayed) {
    }

    /** Registers the queue at its first job from this producer, then stores the jobs in one round trip. */
    private Uni<Submission> enqueue(JobRequestParser.Parsed parsed, String idempotencyDigest) {
        List<NewJob> jobs = parsed.jobs();
        return registrar.ensure(parsed.queue()).flatMap(registered -> store.enqueue(parsed.queue(), jobs,
                config.maxWaiting(), idempotencyDigest, config.idempotencyTtl())).flatMap(result -> {
            if (!result.replayed()) {
                metrics.submitted(parsed.queue(), jobs);
                return Uni.createFrom().item(new Submission(jobs.stream()
                        .map(job -> submitted(job, result.createdAt())).toList(), false));
            }
            return store.findAll(result.firstIds()).map(found -> new Submission(found.stream()
                    .map(job -> new JobViews.Submitted(job.id(), job.type(), JobStatus.QUEUED.wireName(),
                            job.priority().wireName(), tokens.issue(job.id()), Instant.ofEpochMilli(job.createdAt()),
                            job.queue()))
                    .toList(), true));
        });
    }

    @Operation(summary = "Look up a job")
    @APIResponse(responseCode = "200", description = "The job",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = JobViews.Detail.class)))
    @APIResponse(responseCode = "400", description = "Not a job id")
    @APIResponse(responseCode = "404", description = "No such job (finished jobs expire)")
    @APIResponse(responseCode = "503", description = "Redis unavailable")
    @GET
    @Path("/{id}")
    public Uni<Response> get(@PathParam("id") String id) {
        if (!Ids.isJobId(id)) {
            return Uni.createFrom().item(Problem.response(400, "invalid-job-id", "Invalid job id",
                    "job ids are as POST /api/jobs returns them", "/api/jobs/" + id, null).build());
        }
        return store.find(id).map(job -> job.map(j -> Response.ok(JobViews.Detail.of(j)).build())
                .orElseGet(() -> Problem.response(404, "job-not-found", "Job not found",
                        "no job " + id + " (finished jobs expire after their retention time)", "/api/jobs/" + id, null)
                        .build()));
    }

    private JobViews.Submitted submitted(NewJob job, long createdAt) {
        return new JobViews.Submitted(job.id(), job.type(), JobStatus.QUEUED.wireName(), job.priority().wireName(),
                tokens.issue(job.id()), Instant.ofEpochMilli(createdAt), Ids.queueOf(job.id()));
    }
}
