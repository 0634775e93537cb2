package io.livequeue.gateway.socket;

import io.livequeue.gateway.config.GatewayConfig;
import io.livequeue.gateway.dashboard.OperatorSocket;
import io.livequeue.gateway.socket.ClientRegistry.Refusal;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Decides at the HTTP upgrade, before a socket exists: a browser from an origin not on the allowed list gets 403; a
 * client socket gets 503 when the gateway is full (so a load balancer or the client's back-off tries again,
 * elsewhere) and 429 when its address holds its share of sockets already. The client's address is handed to the
 * socket here, as the per-address cap counts it; the counts that decide for good are taken when the socket opens.
 * The dashboard's socket is not counted with the clients' (a full gateway must not lock operators out): it has slots
 * of its own ({@code Operators}).
 */
@Singleton
public class UpgradeCheck implements HttpUpgradeCheck {

    private static final String DASHBOARD = OperatorSocket.class.getName();

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
        if (DASHBOARD.equals(context.endpointId())) {
            return CheckResult.permitUpgrade();
        }
        if (registry.connections() >= config.maxConnections()) {
            registry.refusedAtUpgrade(Refusal.FULL);
            return CheckResult.rejectUpgrade(503);
        }
        String address = config.maxConnectionsPerAddress() > 0 ? ClientAddress.of(context.httpRequest()) : null;
        if (registry.addressFull(address)) {
            registry.refusedAtUpgrade(Refusal.ADDRESS);
            return CheckResult.rejectUpgrade(429);
        }
        if (address != null) {
            context.userData().put(ClientAddress.KEY, address);
        }
        return CheckResult.permitUpgrade();
    }
}
