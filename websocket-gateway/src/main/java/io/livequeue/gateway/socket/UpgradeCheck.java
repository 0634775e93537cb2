package io.livequeue.gateway.socket;

import io.livequeue.gateway.config.GatewayConfig;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Decides at the HTTP upgrade, before a socket exists: a browser from an origin not on the allowed list gets 403, and
 * a full gateway answers 503 so a load balancer or the client's back-off tries again (elsewhere).
 */
@Singleton
public class UpgradeCheck implements HttpUpgradeCheck {

    private final GatewayConfig config;
    private final ClientRegistry registry;

    UpgradeCheck(GatewayConfig config, ClientRegistry registry) {
        this.config = config;
        this.registry = registry;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        String origin = context.httpRequest().getHeader("Origin");
        List<String> allowed = config.allowedOrigins().orElse(List.of());
        if (origin != null && !allowed.isEmpty() && !allowed.contains(origin)) {
            return CheckResult.rejectUpgrade(403);
        }
        if (registry.connections() >= config.maxConnections()) {
            return CheckResult.rejectUpgrade(503);
        }
        return CheckResult.permitUpgrade();
    }
}
