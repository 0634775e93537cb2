package io.livequeue.gateway.socket;

import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/**
 * The client protocol's callbacks, shared by the two endpoints: {@link GatewaySocket} at {@code /ws} and
 * {@link RootSocket} at {@code /}. Everything is delegated to {@link ClientSessions}. Both endpoints take a socket's
 * frames as they arrive ({@code InboundProcessingMode.CONCURRENT}, all on the socket's event loop): in the default
 * serial mode WebSockets Next gives every connection a queue of its own (a 256-slot array, about 1.2 KB of heap per
 * idle socket) in which a client's frames wait for the previous one's Redis read, so a flood would pile up there
 * before the frame limit could see it.
 */
public abstract class ClientEndpoint {

    private final ClientSessions sessions;

    ClientEndpoint(ClientSessions sessions) {
        this.sessions = sessions;
    }

    @OnOpen
    @NonBlocking
    public void onOpen(WebSocketConnection connection) {
        sessions.open(connection);
    }

    @OnTextMessage
    public Uni<Void> onText(WebSocketConnection connection, String text) {
        return sessions.text(connection, text);
    }

    @OnBinaryMessage
    @NonBlocking
    public void onBinary(WebSocketConnection connection, Buffer ignored) {
        sessions.binary(connection);
    }

    @OnPongMessage
    @NonBlocking
    public void onPong(WebSocketConnection connection, Buffer ignored) {
        sessions.pong(connection);
    }

    @OnClose
    @NonBlocking
    public void onClose(WebSocketConnection connection) {
        sessions.close(connection);
    }

    @OnError
    @NonBlocking
    public void onError(WebSocketConnection connection, Throwable failure) {
        sessions.failed(connection, failure);
    }
}
