package io.livequeue.producer.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livequeue.core.Priority;
import io.livequeue.core.QueueNames;
import io.livequeue.core.rdb.QueueCounts;
import io.livequeue.core.rdb.QueueState;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.Queues;
import io.livequeue.producer.dead.DeadJobResource;
import io.livequeue.producer.job.JobViews;
import io.livequeue.producer.auth.Scopes;
import io.livequeue.producer.operator.Operators;
import jakarta.annotation.security.RolesAllowed;
import io.livequeue.producer.problem.FieldError;
import io.livequeue.producer.problem.JsonObjectBody;
import io.livequeue.producer.problem.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * The queues: {@code GET /api/queues} lists every queue with its counts per priority and its flow control (and, as
 * before, the counts per priority of all queues together at the top level); operators pause, resume and limit a queue
 * here, and Redis enforces it across every consumer.
 */
@Path("/api/queues")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Queues")
public class QueueResource {

    private static final Logger LOG = Logger.getLogger(QueueResource.class);
    private static final int MAX_LIMIT = 1_000_000;

    /** One queue as the API shows it. */
    public record QueueView(String name, Map<String, QueueCounts> priorities, long waiting, long active, long dead,
            long retrying, boolean paused, Integer concurrency, Integer rate, String period, long startedInWindow,
            long scheduled) {

        static QueueView of(QueueState state) {
            Map<String, QueueCounts> byName = new LinkedHashMap<>();
            for (Priority p : Priority.values()) {
                byName.put(p.wireName(), state.counts().get(p));
            }
            return new QueueView(state.name(), byName, state.waiting(), state.active(), state.dead(), state.retrying(),
                    state.paused(), state.concurrency() > 0 ? state.concurrency() : null,
                    state.rate() > 0 ? state.rate() : null,
                    state.rate() > 0 ? Duration.ofMillis(state.periodMillis()).toString() : null,
                    state.startedInWindow(), state.scheduled());
        }
    }

    private final Queues queues;
    private final ObjectMapper mapper;
    private final Operators operators;
    private final JobStore store;

    QueueResource(Queues queues, ObjectMapper mapper, Operators operators, JobStore store) {
        this.store = store;
        this.operators = operators;
        this.queues = queues;
        this.mapper = mapper;
    }

    @Operation(summary = "Every queue: counts per priority, flow control; the counts of all queues per priority on top")
    @APIResponse(responseCode = "200", description = "high, normal, low (all queues) and queues (each by name)")
    @APIResponse(responseCode = "401", description = "No valid credentials (livequeue.auth)")
    @APIResponse(responseCode = "503", description = "Redis unavailable")
    @GET
    @RolesAllowed({Scopes.READ, Scopes.OPERATOR})
    public Uni<Map<String, Object>> list() {
        return queues.states().map(states -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            for (Priority p : Priority.values()) {
                long waiting = 0;
                long active = 0;
                long dead = 0;
                for (QueueState state : states) {
                    QueueCounts c = state.counts().get(p);
                    waiting += c.waiting();
                    active += c.active();
                    dead += c.dead();
                }
                answer.put(p.wireName(), new QueueCounts(waiting, active, dead));
            }
            Map<String, QueueView> byName = new LinkedHashMap<>();
            states.forEach(state -> byName.put(state.name(), QueueView.of(state)));
            answer.put("queues", byName);
            return answer;
        });
    }

    @Operation(summary = "One queue")
    @APIResponse(responseCode = "200", description = "The queue")
    @APIResponse(responseCode = "404", description = "No such queue (a queue exists from its first job)")
    @APIResponse(responseCode = "401", description = "No valid credentials (livequeue.auth)")
    @APIResponse(responseCode = "503", description = "Redis unavailable")
    @GET
    @Path("/{name}")
    @RolesAllowed({Scopes.READ, Scopes.OPERATOR})
    public Uni<Response> get(@PathParam("name") String name) {
        return known(name, "").flatMap(problem -> problem != null ? Uni.createFrom().item(problem)
                : queues.state(name).map(state -> Response.ok(QueueView.of(state)).build()));
    }

    @Operation(summary = "The queue's scheduled jobs, earliest due first")
    @APIResponse(responseCode = "200", description = "One page: total, offset, limit, jobs")
    @APIResponse(responseCode = "400", description = "offset or limit out of range, or not a queue name")
    @APIResponse(responseCode = "401", description = "No or wrong operator token")
    @APIResponse(responseCode = "404", description = "No such queue")
    @APIResponse(responseCode = "503", description = "Redis unavailable")
    @SecurityRequirement(name = "operator")
    @RolesAllowed(Scopes.OPERATOR)
    @GET
    @Path("/{name}/scheduled")
    public Uni<Response> scheduled(@PathParam("name") String name,
            @QueryParam("offset") @DefaultValue("0") String offsetParam,
            @QueryParam("limit") @DefaultValue("50") String limitParam) {
        Integer offset = whole(offsetParam, 0, 1_000_000);
        Integer limit = whole(limitParam, 1, 1000);
        if (offset == null || limit == null) {
            return Uni.createFrom().item(Problem.response(400, "invalid-page", "Invalid page", offset == null
                    ? "offset must be a whole number from 0 to 1000000" : "limit must be a whole number from 1 to 1000",
                    "/api/queues/" + name + "/scheduled", List.of(new FieldError(offset == null ? "offset" : "limit",
                    "out of range"))).build());
        }
        return known(name, "/scheduled").flatMap(problem -> problem != null ? Uni.createFrom().item(problem)
                : store.scheduled(name, offset, limit).map(page -> Response.ok(new DeadJobResource.Page(page.total(),
                        offset, limit, page.jobs().stream().map(JobViews.Detail::of).toList())).build()));
    }

    private static Integer whole(String text, int min, int max) {
        try {
            int value = Integer.parseInt(text);
            return value < min || value > max ? null : value;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Operation(summary = "Pause a queue: it still accepts jobs, but no consumer starts one")
    @APIResponse(responseCode = "200", description = "The queue, paused")
    @APIResponse(responseCode = "401", description = "No or wrong operator token")
    @APIResponse(responseCode = "404", description = "No such queue")
    @SecurityRequirement(name = "operator")
    @RolesAllowed(Scopes.OPERATOR)
    @POST
    @Path("/{name}/pause")
    public Uni<Response> pause(@PathParam("name") String name) {
        return act(name, "/pause", queues.pause(name), "paused");
    }

    @Operation(summary = "Resume a paused queue; waiting workers start at once")
    @APIResponse(responseCode = "200", description = "The queue, running")
    @APIResponse(responseCode = "401", description = "No or wrong operator token")
    @APIResponse(responseCode = "404", description = "No such queue")
    @SecurityRequirement(name = "operator")
    @RolesAllowed(Scopes.OPERATOR)
    @POST
    @Path("/{name}/resume")
    public Uni<Response> resume(@PathParam("name") String name) {
        return act(name, "/resume", queues.resume(name), "resumed");
    }

    @Operation(summary = "Set a queue's limits: {\"concurrency\": n, \"rate\": n, \"period\": \"PT1S\" or ms}; "
            + "null or 0 removes a limit")
    @APIResponse(responseCode = "200", description = "The queue with its new limits")
    @APIResponse(responseCode = "400", description = "Invalid limits")
    @APIResponse(responseCode = "401", description = "No or wrong operator token")
    @APIResponse(responseCode = "404", description = "No such queue")
    @SecurityRequirement(name = "operator")
    @RolesAllowed(Scopes.OPERATOR)
    @PUT
    @Path("/{name}/limits")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> limits(@PathParam("name") String name, String body) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode root = JsonObjectBody.read(mapper, body, List.of("concurrency", "rate", "period"), errors);
        int concurrency = 0;
        int rate = 0;
        Duration period = Duration.ofSeconds(1);
        if (root != null) {
            concurrency = count(root.get("concurrency"), "concurrency", errors);
            rate = count(root.get("rate"), "rate", errors);
            JsonNode p = root.get("period");
            if (p != null && !p.isNull()) {
                period = period(p);
                if (period == null) {
                    errors.add(new FieldError("period", "must be milliseconds (1 to 86400000) or an ISO-8601 duration "
                            + "such as PT1S, up to a day"));
                }
            }
        }
        if (!errors.isEmpty()) {
            return Uni.createFrom().item(Problem.response(400, "invalid-limits", "Invalid queue limits",
                    errors.size() + (errors.size() == 1 ? " field is" : " fields are") + " invalid",
                    "/api/queues/" + name + "/limits", errors).build());
        }
        String what = "limited (concurrency " + concurrency + ", rate " + rate + " per " + period + ")";
        return act(name, "/limits", queues.limit(name, concurrency, rate, period), what);
    }

    private Uni<Response> act(String name, String suffix, Uni<Void> action, String done) {
        String who = operators.current();
        return known(name, suffix).flatMap(problem -> problem != null ? Uni.createFrom().item(problem)
                : action.flatMap(ignored -> {
                    LOG.infof("operator %s: queue %s %s", who, name, done);
                    return queues.state(name);
                }).map(state -> Response.ok(QueueView.of(state)).build()));
    }

    /** Null when {@code name} is a queue; else the 400 (malformed) or 404 (unknown) answer. */
    private Uni<Response> known(String name, String suffix) {
        if (!QueueNames.isValid(name)) {
            return Uni.createFrom().item(Problem.response(400, "invalid-queue", "Invalid queue name",
                    "a queue name is " + QueueNames.RULE, "/api/queues/" + name + suffix, null).build());
        }
        return queues.names().map(names -> names.contains(name) ? null
                : Problem.response(404, "queue-not-found", "Queue not found", "no queue " + name
                        + " (a queue exists from its first job)", "/api/queues/" + name + suffix, null).build());
    }

    private static int count(JsonNode value, String field, List<FieldError> errors) {
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 0 || value.asInt() > MAX_LIMIT) {
            errors.add(new FieldError(field, "must be a whole number from 0 (no limit) to " + MAX_LIMIT));
            return 0;
        }
        return value.asInt();
    }

    private static Duration period(JsonNode value) {
        Duration period;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            period = Duration.ofMillis(value.asLong());
        } else if (value.isTextual()) {
            try {
                period = Duration.parse(value.asText());
            } catch (DateTimeParseException e) {
                return null;
            }
        } else {
            return null;
        }
        return period.toMillis() < 1 || period.compareTo(Duration.ofDays(1)) > 0 ? null : period;
    }
}
