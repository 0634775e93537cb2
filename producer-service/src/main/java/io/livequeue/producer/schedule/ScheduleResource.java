package io.livequeue.producer.schedule;

import io.livequeue.core.QueueNames;
import io.livequeue.core.rdb.Schedules;
import io.livequeue.core.schedule.ScheduleSpec;
import io.livequeue.producer.auth.Scopes;
import io.livequeue.producer.job.InvalidJobException;
import io.livequeue.producer.operator.Operators;
import io.livequeue.producer.problem.FieldError;
import io.livequeue.producer.problem.Problem;
import io.livequeue.producer.queue.QueueRegistrar;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Recurring schedules, an operator's business: create, list, read, replace, delete, pause and resume them. The
 * consumers' schedulers make their jobs (see {@link Schedules}); here they are only defined, after the body passed
 * {@link ScheduleRequestParser}, and the template's queue is registered as a submit would register it.
 */
@Path("/api/schedules")
@RolesAllowed(Scopes.OPERATOR)
@SecurityRequirement(name = "operator")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Schedules")
public class ScheduleResource {

    private static final Logger LOG = Logger.getLogger(ScheduleResource.class);

    private final Schedules schedules;
    private final ScheduleRequestParser parser;
    private final QueueRegistrar registrar;
    private final Operators operators;

    ScheduleResource(Schedules schedules, ScheduleRequestParser parser, QueueRegistrar registrar, Operators operators) {
        this.schedules = schedules;
        this.parser = parser;
        this.registrar = registrar;
        this.operators = operators;
    }

    @Operation(summary = "Create a schedule: {\"name\", \"cron\" | \"every\", \"zone\"?, \"job\": {…a submit's body…}, "
            + "\"overlap\"?: \"allow\" | \"skip\", \"missed\"?: \"run-once\" | \"skip\"}")
    @APIResponse(responseCode = "201", description = "The schedule, with its first run")
    @APIResponse(responseCode = "400", description = "Invalid schedule: every broken field is listed")
    @APIResponse(responseCode = "401", description = "No operator credentials")
    @APIResponse(responseCode = "409", description = "A schedule of that name exists (PUT replaces it)")
    @APIResponse(responseCode = "413", description = "The template's payload is over the limit")
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(String body) {
        String who = operators.current();
        return parsed(body, null, "/api/schedules", spec -> schedules.create(spec).flatMap(created -> {
            if (!created) {
                return Uni.createFrom().item(Problem.response(409, "schedule-exists", "Schedule exists",
                        "there is a schedule " + spec.name() + " already: PUT /api/schedules/" + spec.name()
                                + " replaces it", "/api/schedules", null).build());
            }
            LOG.infof("operator %s: schedule %s created (%s)", who, spec.name(), when(spec));
            return view(spec.name(), v -> Response.created(URI.create("/api/schedules/" + spec.name())).entity(v)
                    .build());
        }));
    }

    @Operation(summary = "Every schedule, oldest first, with its next run (null while paused), last run and job")
    @APIResponse(responseCode = "200", description = "{\"schedules\": [ … ]}")
    @APIResponse(responseCode = "401", description = "No operator credentials")
    @GET
    public Uni<Map<String, List<ScheduleView>>> list() {
        return schedules.list().map(all -> Map.of("schedules", all.stream().map(ScheduleView::of).toList()));
    }

    @Operation(summary = "One schedule")
    @APIResponse(responseCode = "200", description = "The schedule")
    @APIResponse(responseCode = "404", description = "No such schedule")
    @APIResponse(responseCode = "401", description = "No operator credentials")
    @GET
    @Path("/{name}")
    public Uni<Response> get(@PathParam("name") String name) {
        return view(name, v -> Response.ok(v).build());
    }

    @Operation(summary = "Create or replace a schedule: a replace grows its generation and recomputes its next run "
            + "(an every keeps counting from the creation); paused stays as it was")
    @APIResponse(responseCode = "200", description = "Replaced")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "400", description = "Invalid schedule: every broken field is listed")
    @APIResponse(responseCode = "401", description = "No operator credentials")
    @APIResponse(responseCode = "413", description = "The template's payload is over the limit")
    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> put(@PathParam("name") String name, String body) {
        String who = operators.current();
        String instance = "/api/schedules/" + name;
        return parsed(body, name, instance, spec -> schedules.put(spec).flatMap(created -> {
            LOG.infof("operator %s: schedule %s %s (%s)", who, name, created ? "created" : "replaced", when(spec));
            return view(name, v -> (created ? Response.created(URI.create(instance)) : Response.ok()).entity(v)
                    .build());
        }));
    }

    @Operation(summary = "Delete a schedule: none of its ticks runs any more (its jobs stay)")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such schedule")
    @APIResponse(responseCode = "401", description = "No operator credentials")
    @DELETE
    @Path("/{name}")
    public Uni<Response> delete(@PathParam("name") String name) {
        String who = operators.current();
        return schedules.delete(name).map(deleted -> {
            if (!deleted) {
                return notFound(name, "");
            }
            LOG.infof("operator %s: schedule %s deleted", who, name);
            return Response.noContent().build();
        });
    }

    @Operation(summary = "Pause a schedule: no tick runs until it is resumed")
    @APIResponse(responseCode = "200", description = "The schedule, paused")
    @APIResponse(responseCode = "404", description = "No such schedule")
    @APIResponse(responseCode = "401", description = "No operator credentials")
    @POST
    @Path("/{name}/pause")
    public Uni<Response> pause(@PathParam("name") String name) {
        return act(name, "/pause", schedules.pause(name), "paused");
    }

    @Operation(summary = "Resume a schedule from its first tick after now (the ticks it was paused for do not run)")
    @APIResponse(responseCode = "200", description = "The schedule, running, with its next run")
    @APIResponse(responseCode = "404", description = "No such schedule")
    @APIResponse(responseCode = "401", description = "No operator credentials")
    @POST
    @Path("/{name}/resume")
    public Uni<Response> resume(@PathParam("name") String name) {
        return act(name, "/resume", Uni.createFrom().deferred(() -> schedules.resume(name)), "resumed");
    }

    private Uni<Response> act(String name, String suffix, Uni<Boolean> action, String done) {
        String who = operators.current();
        return action.flatMap(found -> {
            if (!found) {
                return Uni.createFrom().item(notFound(name, suffix));
            }
            LOG.infof("operator %s: schedule %s %s", who, name, done);
            return view(name, v -> Response.ok(v).build());
        });
    }

    /**
     * The body's schedule, its template's queue registered (as a submit would, refused past livequeue.queues.max),
     * handed to {@code then}; or the 400 (413) that lists what is wrong.
     */
    private Uni<Response> parsed(String body, String pathName, String instance,
            Function<ScheduleSpec, Uni<Response>> then) {
        ScheduleSpec spec;
        try {
            spec = parser.parse(body, pathName);
        } catch (InvalidScheduleException e) {
            return Uni.createFrom().item(invalid(e, instance));
        }
        return registrar.ensure(spec.job().queue()).onItem().transformToUni(ignored -> then.apply(spec))
                .onFailure(InvalidJobException.class).recoverWithItem(e -> invalid(new InvalidScheduleException(
                        ((InvalidJobException) e).errors().stream().map(f -> new FieldError("job."
                                + f.field(), f.message())).toList(), false), instance));
    }

    private Uni<Response> view(String name, Function<ScheduleView, Response> answer) {
        return schedules.get(name).map(found -> found.map(s -> answer.apply(ScheduleView.of(s)))
                .orElseGet(() -> notFound(name, "")));
    }

    private static Response invalid(InvalidScheduleException e, String instance) {
        if (e.tooLarge()) {
            return Problem.response(413, "payload-too-large", "Payload too large", e.getMessage(), instance,
                    e.errors()).build();
        }
        return Problem.response(400, "invalid-schedule", "Invalid schedule", e.errors().size() == 1 ? e.getMessage()
                : e.errors().size() + " fields are invalid", instance, e.errors()).build();
    }

    private static Response notFound(String name, String suffix) {
        String shown = QueueNames.isValid(name) ? name : "of that name";
        return Problem.response(404, "schedule-not-found", "Schedule not found", "no schedule " + shown,
                "/api/schedules/" + name + suffix, null).build();
    }

    private static String when(ScheduleSpec spec) {
        return (spec.cron() != null ? "cron " + spec.cron() + " in " + spec.zone() : "every " + spec.every())
                + ", job " + spec.job().type() + " to " + spec.job().queue();
    }
}
