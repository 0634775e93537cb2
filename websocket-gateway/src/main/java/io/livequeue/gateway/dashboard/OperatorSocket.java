package io.livequeue.gateway.dashboard;

import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/**
 * The operators' channel at {@code /dashboard/ws}, next to the dashboard page: a separate endpoint so operator
 * frames never mix with the job events of ordinary clients. Everything is delegated to {@link OperatorSessions}.
 */
@WebSocket(path = "/dashboard/ws")
public class OperatorSocket {

    private final OperatorSessions sessions;

    OperatorSocket(OperatorSessions sessions) {
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
