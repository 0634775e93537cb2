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

    private final JobStore store;
    private final JobRequestParser parser;
    private final JobTokens tokens;
    private final ProducerConfig config;

    JobResource(JobStore store, JobRequestParser parser, JobTokens tokens, ProducerConfig config) {
        this.store = store;
        this.parser = parser;
        this.tokens = tokens;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> submit(String body) {
        NewJob job = parser.parseOne(body);
        return store.enqueue(List.of(job), config.maxWaiting()).map(createdAt -> Response.accepted(submitted(job, createdAt))
                .location(URI.create("/api/jobs/" + job.id())).build());
    }

    @POST
    @Path("/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> submitBatch(String body) {
        List<NewJob> jobs = parser.parseBatch(body);
        return store.enqueue(jobs, config.maxWaiting()).map(createdAt -> Response.accepted(
                new JobViews.SubmittedBatch(jobs.stream().map(job -> submitted(job, createdAt)).toList())).build());
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
