package io.livequeue.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real WebSocket client for tests (the JDK's), that queues every text frame it receives so a test can wait for
 * the next one, or for the first that matches, with a timeout instead of a sleep.
 */
public final class TestSocket implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private TestSocket(URI uri) {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(DEFAULT_WAIT)
                .buildAsync(uri, new Listener()).orTimeout(DEFAULT_WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    public static TestSocket connect(String uri) {
        return new TestSocket(URI.create(uri));
    }

    public TestSocket send(String text) {
        socket.sendText(text, true).orTimeout(DEFAULT_WAIT.toSeconds(), TimeUnit.SECONDS).join();
        return this;
    }

    public TestSocket sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).orTimeout(DEFAULT_WAIT.toSeconds(), TimeUnit.SECONDS).join();
        return this;
    }

    /** The next frame as JSON; fails the test if none arrives within ten seconds. */
    public JsonNode next() {
        return next(DEFAULT_WAIT);
    }

    public JsonNode next(Duration wait) {
        try {
            String frame = frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                throw new AssertionError("no frame within " + wait.toMillis() + " ms");
            }
            return JSON.readTree(frame);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (java.io.IOException e) {
            throw new AssertionError("a frame is not JSON: " + e.getMessage(), e);
        }
    }

    /** Skips frames until one matches; fails if none does within ten seconds. */
    public JsonNode nextMatching(Predicate<JsonNode> wanted) {
        long deadline = System.nanoTime() + DEFAULT_WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching frame within " + DEFAULT_WAIT.toSeconds() + " s");
            }
            JsonNode frame = next(Duration.ofNanos(left));
            if (wanted.test(frame)) {
                return frame;
            }
        }
    }

    /** The frames received so far and not yet taken. */
    public int pending() {
        return frames.size();
    }

    public boolean isOpen() {
        return !socket.isInputClosed() && !socket.isOutputClosed() && !closed.isDone();
    }

    /** The close code the server sent, once it has closed the connection. */
    public CompletableFuture<Integer> closeCode() {
        return closed;
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}
