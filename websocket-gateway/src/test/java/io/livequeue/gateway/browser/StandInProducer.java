package io.livequeue.gateway.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livequeue.core.Ids;
import io.livequeue.core.JobTokens;
import io.livequeue.core.Priority;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.NewJob;
import io.livequeue.core.rdb.NewJob.When;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The two producer calls the demo page makes, played inside the gateway under test so that a browser test needs no
 * producer: submit ({@code POST /api/jobs}, with {@code delay} in ms) and cancel ({@code POST /api/jobs/{id}/cancel}
 * with {@code Job-Token}), as issue 13's contract describes them, on the real scripts ({@link JobStore#enqueue},
 * {@link JobStore#cancel}): what the page then shows comes from the events those scripts publish. It answers only in
 * tests that turn it on ({@code livequeue.test.stand-in-producer=true}, see {@link StandInProducerProfile}); every
 * other test app of the module gets 404 here, as from a gateway.
 */
@Path("/api/jobs")
public class StandInProducer {

    private static final Duration RETENTION = Duration.ofHours(1);

    private final JobStore store;
    private final JobTokens tokens;
    private final ObjectMapper mapper;
    private final boolean enabled;

    StandInProducer(JobStore store, JobTokens tokens, ObjectMapper mapper,
            @ConfigProperty(name = "livequeue.test.stand-in-producer", defaultValue = "false") boolean enabled) {
        this.store = store;
        this.tokens = tokens;
        this.mapper = mapper;
        this.enabled = enabled;
    }

    @POST
    public Uni<Response> submit(String text) throws Exception {
        if (!enabled) {
            return Uni.createFrom().item(Response.status(404).build());
        }
        JsonNode body = mapper.readTree(text);
        long delay = body.path("delay").asLong(0);
        NewJob job = new NewJob(Ids.newJobId(), body.path("type").asText("echo"),
                Priority.fromWireName(body.path("priority").asText("normal")).orElse(Priority.NORMAL),
                body.path("maxAttempts").asInt(3), body.has("payload") ? body.get("payload").toString() : null,
                body.path("replyTo").asText(null)).withRunAt(delay > 0 ? When.after(Duration.ofMillis(delay))
                        : When.NONE);
        return store.enqueue("default", List.of(job), 0).map(createdAt -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("id", job.id());
            answer.put("token", tokens.issue(job.id()));
            answer.put("type", job.type());
            answer.put("status", delay > 0 ? "scheduled" : "queued");
            if (delay > 0) {
                answer.put("runAt", createdAt + delay);
            }
            return Response.status(202).entity(answer).build();
        });
    }

    @POST
    @Path("{id}/cancel")
    public Uni<Response> cancel(@PathParam("id") String id, @HeaderParam("Job-Token") String token) {
        if (!enabled) {
            return Uni.createFrom().item(Response.status(404).build());
        }
        if (token == null || !tokens.verify(id, token)) {
            return Uni.createFrom().item(problem(403, "the token does not grant access to job " + id));
        }
        return store.cancel(id, RETENTION).map(outcome -> switch (outcome) {
            case CANCELLED -> Response.ok(Map.of("id", id, "status", "cancelled")).build();
            case REQUESTED -> Response.status(202).entity(Map.of("id", id, "status", "active",
                    "cancelRequested", true)).build();
            case FINISHED -> problem(409, "job " + id + " has finished");
            case NOT_FOUND -> problem(404, "no job " + id);
        });
    }

    private static Response problem(int status, String detail) {
        return Response.status(status).type("application/problem+json")
                .entity(Map.of("title", "refused", "status", status, "detail", detail)).build();
    }
}
