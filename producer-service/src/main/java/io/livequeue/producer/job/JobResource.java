package io.livequeue.producer.job;

import io.livequeue.core.Ids;
import io.livequeue.core.JobStatus;
import io.livequeue.core.JobTokens;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.NewJob;
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

/**
 * Submitting jobs and looking them up. A submit is one Redis round trip however many jobs it carries; nothing is
 * stored unless the whole request is valid and the queue has room.
 */
@Path("/api/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    private static final String REPLAYED = "Idempotent-Replayed";

    private final JobStore store;
    private final JobRequestParser parser;
    private final IdempotencyKeys idempotency;
    private final JobTokens tokens;
    private final ProducerConfig config;

    JobResource(JobStore store, JobRequestParser parser, IdempotencyKeys idempotency, JobTokens tokens,
            ProducerConfig config) {
        this.store = store;
        this.parser = parser;
        this.idempotency = idempotency;
        this.tokens = tokens;
        this.config = config;
    }

    /** With an {@code Idempotency-Key} seen in the last 24 h, answers with that request's job and stores nothing. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> submit(String body, @HeaderParam(IdempotencyKeys.HEADER) String key) {
        String redisKey = idempotency.redisKey(key, "jobs");
        NewJob job = parser.parseOne(body);
        return enqueue(List.of(job), redisKey).map(submitted -> Response.accepted(submitted.jobs().get(0))
                .location(URI.create("/api/jobs/" + submitted.jobs().get(0).id()))
                .header(REPLAYED, submitted.replayed() ? "true" : null).build());
    }

    @POST
    @Path("/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> submitBatch(String body, @HeaderParam(IdempotencyKeys.HEADER) String key) {
        String redisKey = idempotency.redisKey(key, "batch");
        List<NewJob> jobs = parser.parseBatch(body);
        return enqueue(jobs, redisKey).map(submitted -> Response.accepted(new JobViews.SubmittedBatch(submitted.jobs()))
                .header(REPLAYED, submitted.replayed() ? "true" : null).build());
    }

    private record Submission(List<JobViews.Submitted> jobs, boolean replayed) {
    }

    private Uni<Submission> enqueue(List<NewJob> jobs, String idempotencyKey) {
        return store.enqueue(jobs, config.maxWaiting(), idempotencyKey, config.idempotencyTtl()).flatMap(result -> {
            if (!result.replayed()) {
                return Uni.createFrom().item(new Submission(jobs.stream()
                        .map(job -> submitted(job, result.createdAt())).toList(), false));
            }
            return store.findAll(result.firstIds()).map(found -> new Submission(found.stream()
                    .map(job -> new JobViews.Submitted(job.id(), job.type(), JobStatus.QUEUED.wireName(),
                            job.priority().wireName(), tokens.issue(job.id()), Instant.ofEpochMilli(job.createdAt())))
                    .toList(), true));
        });
    }

    @GET
    @Path("/{id}")
    public Uni<Response> get(@PathParam("id") String id) {
        if (!Ids.isJobId(id)) {
            return Uni.createFrom().item(Problem.response(400, "invalid-job-id", "Invalid job id",
                    "job ids are UUIDs as returned by POST /api/jobs", "/api/jobs/" + id, null).build());
        }
        return store.find(id).map(job -> job.map(j -> Response.ok(JobViews.Detail.of(j)).build())
                .orElseGet(() -> Problem.response(404, "job-not-found", "Job not found",
                        "no job " + id + " (finished jobs expire after their retention time)", "/api/jobs/" + id, null)
                        .build()));
    }

    private JobViews.Submitted submitted(NewJob job, long createdAt) {
        return new JobViews.Submitted(job.id(), job.type(), JobStatus.QUEUED.wireName(), job.priority().wireName(),
                tokens.issue(job.id()), Instant.ofEpochMilli(createdAt));
    }
}
