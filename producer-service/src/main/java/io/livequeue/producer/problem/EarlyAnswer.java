package io.livequeue.producer.problem;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An answer sent before the request's body was read to its end (a body over the limit, a batch with too many jobs, no
 * room in the budget): on HTTP/1.1 the connection closes after it, so a hostile sender cannot keep it reading. It
 * closes "lingering", as web servers do: the rest of the body is read and dropped, up to {@value #LINGER_BYTES} bytes
 * or {@value #LINGER_MILLIS} ms, so that a plain client that sends its whole body before it reads the answer gets the
 * answer rather than a broken pipe. Nothing of it is kept. HTTP/2 has no Connection header and its connection carries
 * other requests: there only the request's stream ends.
 */
final class EarlyAnswer {

    static final long LINGER_BYTES = 64L << 20;
    static final long LINGER_MILLIS = 10_000;

    private EarlyAnswer() {
    }

    /** Marks the answer {@code Connection: close} and closes the connection once it is sent (lingering). */
    static void closeAfter(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.version() == HttpVersion.HTTP_2) {
            return;
        }
        context.response().putHeader(HttpHeaders.CONNECTION, "close");
        // not response().endHandler(…): that would replace the one the routing context runs its end handlers from
        context.addEndHandler(sent -> linger(context, request.connection()));
    }

    private static void linger(RoutingContext context, HttpConnection connection) {
        HttpServerRequest request = context.request();
        if (request.isEnded()) {
            connection.close();
            return;
        }
        long timer = context.vertx().setTimer(LINGER_MILLIS, t -> connection.close());
        AtomicLong dropped = new AtomicLong();
        request.exceptionHandler(e -> connection.close());
        request.endHandler(end -> {
            context.vertx().cancelTimer(timer);
            connection.close();
        });
        request.handler(data -> {
            if (dropped.addAndGet(data.length()) > LINGER_BYTES) {
                connection.close();
            }
        });
        request.resume();
    }
}
