package io.livequeue.client;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Sends one request and tries again, under a {@link RetryPolicy}, when no answer came, or the answer was 503
 * (unavailable) or 429 (queue full): after the server's {@code Retry-After} when it sent one, else after a
 * full-jitter back-off, and never past the policy's tries or total time (a {@code Retry-After} that would end past the
 * time left is not waited for). Every other answer is final: 2xx is returned, any other status thrown as its
 * {@link LiveQueueException}. It exists so that the retry rules live in one place; the request is sent unchanged on
 * every try, so a submit keeps its Idempotency-Key.
 */
final class RetryingSender {

    private final HttpClient http;
    private final RetryPolicy policy;
    private final Backoff backoff;

    RetryingSender(HttpClient http, RetryPolicy policy) {
        this.http = http;
        this.policy = policy;
        this.backoff = new Backoff(policy.baseDelay(), policy.maxDelay());
    }

    HttpResponse<String> send(HttpRequest request) {
        long start = System.nanoTime();
        for (int tries = 1; ; tries++) {
            LiveQueueException failure;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return response;
                }
                failure = ProblemMapper.toException(status, response.body(),
                        response.headers().firstValue("Retry-After").orElse(null));
                if (status != 429 && status != 503) {
                    throw failure;
                }
            } catch (IOException e) {
                failure = new ConnectionFailedException(request.method() + " " + request.uri() + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectionFailedException("interrupted while waiting for " + request.uri(),
                        new IOException(e));
            }
            Duration wait = failure.retryAfter().isPresent() ? failure.retryAfter().get() : backoff.delay(tries);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            if (tries >= policy.maxTries() || elapsed.plus(wait).compareTo(policy.maxElapsed()) > 0) {
                throw failure;
            }
            pause(wait, failure);
        }
    }

    private static void pause(Duration wait, LiveQueueException failure) {
        try {
            Thread.sleep(wait.toMillis(), wait.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure;
        }
    }
}
