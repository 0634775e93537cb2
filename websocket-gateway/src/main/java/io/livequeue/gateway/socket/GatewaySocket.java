package io.livequeue.gateway.socket;

import io.quarkus.websockets.next.InboundProcessingMode;
import io.quarkus.websockets.next.WebSocket;

/** The client endpoint at {@code /ws}. */
@WebSocket(path = "/ws", inboundProcessingMode = InboundProcessingMode.CONCURRENT)
public class GatewaySocket extends ClientEndpoint {

    GatewaySocket(ClientSessions sessions) {
        super(sessions);
    }
}
