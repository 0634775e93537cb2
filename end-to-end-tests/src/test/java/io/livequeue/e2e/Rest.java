package io.livequeue.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A few lines of JDK HTTP client for the producer's JSON API, as curl would use it. */
final class Rest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    record Answer(int status, String contentType, JsonNode body) {
    }

    private Rest() {
    }

    static Answer post(String url, String json) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A POST with an {@code Idempotency-Key}, as a client retrying a submit sends it. */
    static Answer postWithKey(String url, String json, String idempotencyKey) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    static Answer get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    /** A request as an operator sends it to the dead-letter API: with {@code Authorization: Bearer <token>}. */
    static Answer asOperator(String method, String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer "
                + LiveStack.OPERATOR_TOKEN).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    /** An operator's request with a JSON body (e.g. a queue's limits). */
    static Answer asOperator(String method, String url, String json) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer "
                + LiveStack.OPERATOR_TOKEN).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)));
    }

    private static Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    body.isEmpty() ? JSON.nullNode() : JSON.readTree(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
