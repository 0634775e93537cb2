package io.livequeue.gateway.config;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Tells the demo page where the producer is, so one page works locally, behind compose and behind a proxy. */
@Path("/api/config")
public class PageConfigResource {

    public record PageConfig(String producerUrl) {
    }

    private final GatewayConfig config;

    PageConfigResource(GatewayConfig config) {
        this.config = config;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public PageConfig get() {
        return new PageConfig(config.producerUrl().orElse(null));
    }
}
