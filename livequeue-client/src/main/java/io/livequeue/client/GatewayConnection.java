package io.livequeue.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One WebSocket to one gateway, on the JDK's {@link WebSocket}: it joins text fragments into frames, sends frames one
 * after another (the JDK allows only one send in flight), notes when the gateway was last heard from (frames and
 * pings; the JDK answers pings itself), and reports its end exactly once, whatever ended it (a close frame, an I/O
 * error, a failed send, {@link #abort()}). It exists so that {@link JobWatcher} deals in whole frames and a single
 * "closed" signal, not in the JDK listener's partial messages and flow control.
 */
final class GatewayConnection implements WebSocket.Listener {

    /** What the connection reports; calls for one connection come one at a time. */
    interface Handler {
        void frame(GatewayConnection connection, String text);

        void closed(GatewayConnection connection, String reason);
    }

    private final URI uri;
    private final Handler handler;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;
    private volatile long lastHeardNanos = System.nanoTime();
    private CompletableFuture<?> sends = CompletableFuture.completedFuture(null);

    GatewayConnection(URI uri, Handler handler) {
        this.uri = uri;
        this.handler = handler;
    }

    /** Opens the socket; a failure to connect is reported as {@link Handler#closed}. */
    void open(HttpClient http, Map<String, String> headers, Duration connectTimeout) {
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(connectTimeout);
        headers.forEach(builder::header);
        builder.buildAsync(uri, this).whenComplete((ws, failure) -> {
            if (failure != null) {
                end("cannot connect: " + rootMessage(failure));
            } else if (ended.get()) {
                ws.abort(); // aborted while connecting
            }
        });
    }

    URI uri() {
        return uri;
    }

    long silentNanos() {
        return System.nanoTime() - lastHeardNanos;
    }

    /** Queues a text frame behind those already queued; a failed send ends the connection. */
    synchronized void send(String text) {
        sends = sends.thenCompose(ignored -> {
            WebSocket ws = socket;
            return ws == null || ended.get() ? CompletableFuture.completedFuture(null) : ws.sendText(text, true);
        }).whenComplete((ignored, failure) -> {
            if (failure != null) {
                abort("send failed: " + rootMessage(failure));
            }
        });
    }

    /**
     * Ends the connection politely (a 1000 close frame) without reporting it to the handler: the owner is closing.
     * The socket is aborted a moment later if the gateway does not answer the close.
     */
    void close() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        WebSocket ws = socket;
        if (ws != null) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "client closing").whenComplete((ignored, failure) ->
                    CompletableFuture.runAsync(ws::abort, CompletableFuture.delayedExecutor(2, TimeUnit.SECONDS)));
        }
    }

    /** Ends the connection at once, e.g. when the gateway went silent. */
    void abort(String reason) {
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        end(reason);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        socket = webSocket;
        lastHeardNanos = System.nanoTime();
        if (ended.get()) {
            webSocket.abort();
            return;
        }
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        lastHeardNanos = System.nanoTime();
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            if (!ended.get()) {
                handler.frame(this, text);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        lastHeardNanos = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        lastHeardNanos = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        lastHeardNanos = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        end("closed by the gateway: " + statusCode + (reason == null || reason.isEmpty() ? "" : " " + reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        end("connection failed: " + rootMessage(error));
    }

    private void end(String reason) {
        if (ended.compareAndSet(false, true)) {
            handler.closed(this, reason);
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
