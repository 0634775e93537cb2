package io.livequeue.gateway.socket;

import io.quarkus.websockets.next.InboundProcessingMode;
import io.quarkus.websockets.next.WebSocket;

/** The client endpoint at {@code /}, for clients like the seed snippet that connect to {@code ws://host:8080}. */
@WebSocket(path = "/", inboundProcessingMode = InboundProcessingMode.CONCURRENT)
public class RootSocket extends ClientEndpoint {

    RootSocket(ClientSessions sessions) {
        super(sessions);
    }
}
