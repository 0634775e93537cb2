package io.livequeue.gateway.socket;

import io.quarkus.websockets.next.WebSocket;

/** The client endpoint at {@code /ws}. */
@WebSocket(path = "/ws")
public class GatewaySocket extends ClientEndpoint {

    GatewaySocket(ClientSessions sessions) {
        super(sessions);
    }
}
