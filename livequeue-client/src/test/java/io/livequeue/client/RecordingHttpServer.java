package io.livequeue.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on a free loopback port (the JDK's {@code com.sun.net.httpserver}) that answers with the
 * responses a test lines up, in order, and records every request it got. It exists so that the client's HTTP
 * behaviour (headers, bodies, retries, error mapping) is tested over real sockets, without a producer.
 */
final class RecordingHttpServer implements AutoCloseable {

    /** One answer to give: status, headers, body. */
    record Answer(int status, Map<String, String> headers, String body) {
        static Answer json(int status, String body) {
            return new Answer(status, Map.of("Content-Type", "application/json"), body);
        }

        static Answer problem(int status, String body, String retryAfter) {
            return new Answer(status, retryAfter == null ? Map.of("Content-Type", "application/problem+json")
                    : Map.of("Content-Type", "application/problem+json", "Retry-After", retryAfter), body);
        }
    }

    /** One request as received: method, path, headers (first value of each, names lower case), body. */
    record Received(String method, String path, Map<String, String> headers, String body, long atNanos) {
        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private RecordingHttpServer(HttpServer server) {
        this.server = server;
    }

    static RecordingHttpServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            RecordingHttpServer recording = new RecordingHttpServer(server);
            server.createContext("/", recording::handle);
            server.start();
            return recording;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines up answers; once they are used up every request gets 500. */
    RecordingHttpServer answer(Answer... next) {
        answers.addAll(List.of(next));
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Received> requests() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new java.util.HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), headers, body,
                System.nanoTime()));
        Answer answer = answers.poll();
        if (answer == null) {
            answer = Answer.json(500, "{\"title\":\"no answer lined up\"}");
        }
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
