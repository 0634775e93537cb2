package io.livequeue.producer.queue;

import io.livequeue.core.Priority;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.QueueCounts;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /api/queues}: waiting, active and dead counts of each priority, high first. */
@Path("/api/queues")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Queues")
public class QueueResource {

    private final JobStore store;

    QueueResource(JobStore store) {
        this.store = store;
    }

    @Operation(summary = "Waiting, active and dead counts per priority, high first")
    @APIResponse(responseCode = "200", description = "Counts by priority name")
    @APIResponse(responseCode = "503", description = "Redis unavailable")
    @GET
    public Uni<Map<String, QueueCounts>> counts() {
        return store.counts().map(counts -> {
            Map<String, QueueCounts> byName = new LinkedHashMap<>();
            for (Priority p : Priority.values()) {
                byName.put(p.wireName(), counts.get(p));
            }
            return byName;
        });
    }
}
