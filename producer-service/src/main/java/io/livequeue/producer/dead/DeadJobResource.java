package io.livequeue.producer.dead;

import io.livequeue.core.Ids;
import io.livequeue.core.rdb.NewJob;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import io.livequeue.core.QueueNames;
import io.livequeue.core.rdb.DeadLetters;
import io.livequeue.core.rdb.Queues;
import io.livequeue.producer.job.JobViews;
import io.livequeue.producer.auth.Scopes;
import io.livequeue.producer.operator.Operators;
import jakarta.annotation.security.RolesAllowed;
import io.livequeue.producer.problem.FieldError;
import io.livequeue.producer.problem.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * The dead-letter list: jobs whose attempts are used up, newest first, each with its every error; retry one or all
 * (attempts start again from 0) or delete one or all. Operators only: every call needs the operator token or a
 * credential with the {@code operator} scope, and every change is logged with the operator's name.
 */
@Path("/api/dead")
@RolesAllowed(Scopes.OPERATOR)
@SecurityScheme(securitySchemeName = "operator", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "Authorization: Bearer <livequeue.operator.token>")
@SecurityRequirement(name = "operator")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Dead jobs")
public class DeadJobResource {

    private static final Logger LOG = Logger.getLogger(DeadJobResource.class);
    private static final int MAX_LIMIT = 500;

    /** One page of dead jobs. */
    public record Page(long total, int offset, int limit, List<JobViews.Detail> jobs) {
    }

    private final DeadLetters dead;
    private final Queues queues;
    private final Operators operators;

    DeadJobResource(DeadLetters dead, Queues queues, Operators operators) {
        this.dead = dead;
        this.queues = queues;
        this.operators = operators;
    }

    /** The queue named by {@code ?queue=}, or every queue; a malformed name is a 400 (null then). */
    private Uni<List<String>> queues(String queue) {
        if (queue == null || queue.isEmpty()) {
            return queues.names();
        }
        return Uni.createFrom().item(QueueNames.isValid(queue) ? List.of(queue) : null);
    }

    private static Response badQueue(String path) {
        return Problem.response(400, "invalid-queue", "Invalid queue name", "a queue name is " + QueueNames.RULE,
                path, List.of(new FieldError("queue", "must be a queue name"))).build();
    }

    @Operation(summary = "List dead jobs, newest first, with their errors")
    @APIResponse(responseCode = "200", description = "One page of dead jobs",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Page.class)))
    @APIResponse(responseCode = "400", description = "offset or limit out of range")
    @APIResponse(responseCode = "401", description = "No or wrong operator token")
    @APIResponse(responseCode = "503", description = "Redis unavailable")
    @GET
    public Uni<Response> list(@QueryParam("offset") @DefaultValue("0") String offsetParam,
            @QueryParam("limit") @DefaultValue("50") String limitParam, @QueryParam("queue") String queue) {
        Integer offset = parse(offsetParam, 0, 1_000_000);
        Integer limit = parse(limitParam, 1, MAX_LIMIT);
        if (offset == null || limit == null) {
            return Uni.createFrom().item(Problem.response(400, "invalid-page", "Invalid page", offset == null
                    ? "offset must be a whole number from 0 to 1000000" : "limit must be a whole number from 1 to "
                    + MAX_LIMIT, "/api/dead", List.of(new FieldError(offset == null ? "offset" : "limit",
                    "out of range"))).build());
        }
        return queues(queue).flatMap(names -> names == null ? Uni.createFrom().item(badQueue("/api/dead"))
                : dead.page(names, offset, limit).map(page -> Response.ok(new Page(page.total(), offset, limit,
                        page.jobs().stream().map(JobViews.Detail::of).toList())).build()));
    }

    @Operation(summary = "Queue a dead job again; its attempts start from 0. An expired job (error 'expired') keeps no "
            + "old deadline: give it a new one with ttl (ms or ISO-8601 duration) or expiresAt (RFC 3339)")
    @APIResponse(responseCode = "202", description = "Queued again")
    @APIResponse(responseCode = "400", description = "Not a job id, or a bad ttl or expiresAt")
    @APIResponse(responseCode = "404", description = "Not in the dead-letter list")
    @APIResponse(responseCode = "401", description = "No or wrong operator token")
    @APIResponse(responseCode = "503", description = "Redis unavailable")
    @POST
    @Path("/{id}/retry")
    public Uni<Response> retry(@PathParam("id") String id, @QueryParam("ttl") String ttl,
            @QueryParam("expiresAt") String expiresAt) {
        if (!Ids.isJobId(id)) {
            return badId(id, "/retry");
        }
        NewJob.When deadline;
        try {
            deadline = deadline(ttl, expiresAt);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(Problem.response(400, "invalid-deadline", "Invalid deadline", e.getMessage(),
                    "/api/dead/" + id + "/retry", List.of(new FieldError(ttl != null ? "ttl" : "expiresAt",
                    e.getMessage()))).build());
        }
        String who = operators.current();
        return dead.revive(id, deadline).map(revived -> {
            if (!revived) {
                return notDead(id, "/retry");
            }
            LOG.infof("operator %s: dead job %s retried", who, id);
            return Response.accepted(Map.of("id", id, "status", "queued")).build();
        });
    }

    /** The new deadline of a retried job: none, {@code ttl} from now (ms or ISO-8601), or {@code expiresAt}. */
    private static NewJob.When deadline(String ttl, String expiresAt) {
        if (ttl != null && expiresAt != null) {
            throw new IllegalArgumentException("give ttl or expiresAt, not both");
        }
        if (ttl != null) {
            Duration duration;
            try {
                duration = ttl.chars().allMatch(Character::isDigit) && !ttl.isEmpty() && ttl.length() < 16
                        ? Duration.ofMillis(Long.parseLong(ttl)) : Duration.parse(ttl);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("ttl must be a number of milliseconds or an ISO-8601 duration "
                        + "such as PT5M");
            }
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("ttl must be positive");
            }
            return NewJob.When.after(duration);
        }
        if (expiresAt != null) {
            try {
                Instant at = OffsetDateTime.parse(expiresAt).toInstant();
                if (!at.isAfter(Instant.now())) {
                    throw new IllegalArgumentException("expiresAt is in the past: the job could never run");
                }
                return NewJob.When.at(at);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("expiresAt must be an RFC 3339 date-time with its offset");
            }
        }
        return NewJob.When.NONE;
    }

    @Operation(summary = "Queue every dead job again")
    @APIResponse(responseCode = "200", description = "How many were queued again")
    @APIResponse(responseCode = "401", description = "No or wrong operator token")
    @APIResponse(responseCode = "503", description = "Redis unavailable")
    @POST
    @Path("/retry")
    public Uni<Response> retryAll(@QueryParam("queue") String queue) {
        String who = operators.current();
        return queues(queue).flatMap(names -> names == null ? Uni.createFrom().item(badQueue("/api/dead/retry"))
                : dead.reviveAll(names).map(count -> {
                    LOG.infof("operator %s: %d dead jobs retried%s", who, count, queue == null ? "" : " in queue " + queue);
                    return Response.ok(Map.of("retried", count)).build();
                }));
    }

    @Operation(summary = "Delete a dead job")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "400", description = "Not a job id")
    @APIResponse(responseCode = "404", description = "Not in the dead-letter list")
    @APIResponse(responseCode = "401", description = "No or wrong operator token")
    @APIResponse(responseCode = "503", description = "Redis unavailable")
    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") String id) {
        if (!Ids.isJobId(id)) {
            return badId(id, "");
        }
        String who = operators.current();
        return dead.forget(id).map(deleted -> {
            if (!deleted) {
                return notDead(id, "");
            }
            LOG.infof("operator %s: dead job %s deleted", who, id);
            return Response.noContent().build();
        });
    }

    @Operation(summary = "Delete every dead job")
    @APIResponse(responseCode = "200", description = "How many were deleted")
    @APIResponse(responseCode = "401", description = "No or wrong operator token")
    @APIResponse(responseCode = "503", description = "Redis unavailable")
    @DELETE
    public Uni<Response> deleteAll(@QueryParam("queue") String queue) {
        String who = operators.current();
        return queues(queue).flatMap(names -> names == null ? Uni.createFrom().item(badQueue("/api/dead"))
                : dead.forgetAll(names).map(count -> {
                    LOG.infof("operator %s: %d dead jobs deleted%s", who, count, queue == null ? "" : " in queue " + queue);
                    return Response.ok(Map.of("deleted", count)).build();
                }));
    }

    private static Uni<Response> badId(String id, String suffix) {
        return Uni.createFrom().item(Problem.response(400, "invalid-job-id", "Invalid job id",
                "job ids are as POST /api/jobs returns them", "/api/dead/" + id + suffix, null).build());
    }

    private static Response notDead(String id, String suffix) {
        return Problem.response(404, "dead-job-not-found", "Dead job not found", "job " + id
                + " is not in the dead-letter list", "/api/dead/" + id + suffix, null).build();
    }

    private static Integer parse(String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            return n < min || n > max ? null : n;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
