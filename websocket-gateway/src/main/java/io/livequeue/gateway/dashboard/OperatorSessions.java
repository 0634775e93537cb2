package io.livequeue.gateway.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livequeue.core.Ids;
import io.livequeue.core.OperatorToken;
import io.livequeue.gateway.config.GatewayConfig;
import io.livequeue.gateway.dashboard.DashboardMessages.DeadPage;
import io.livequeue.gateway.dashboard.DashboardMessages.ErrorEvent;
import io.livequeue.gateway.dashboard.DashboardMessages.JobDoc;
import io.quarkus.runtime.Startup;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The operator channel's protocol. A socket must first say {@code {"type":"hello","token":"<operator token>"}}:
 * anything else, a wrong token, or silence for {@code livequeue.gateway.dashboard.hello-timeout} gets an
 * {@code unauthorized} error and the socket is closed (1008); until then it holds one of the few anonymous slots
 * ({@link Operators}), and loses it (same error, same close) when a newer socket needs it while all are taken. A right
 * token when every operator slot is taken gets {@code too-many-operators} and 1013.
 * An authenticated operator gets a {@code snapshot}, then {@code stats} every second, and may ask for a job's
 * document ({@code {"type":"job","id"}}) or a page of the dead list ({@code {"type":"dead","offset"}}); a frame it
 * gets wrong is answered with an {@code error} event and the socket stays open. Created at start, so a development
 * token in production is warned about at once.
 */
@Startup
@Singleton
public class OperatorSessions {

    private static final Logger LOG = Logger.getLogger(OperatorSessions.class);
    private static final int TRY_AGAIN_LATER = 1013;
    private static final int MAX_OFFSET = 1_000_000;

    private final Operators operators;
    private final StatsTicker ticker;
    private final DashboardReader reader;
    private final OperatorToken token;
    private final ObjectMapper mapper;
    private final Vertx vertx;
    private final Duration helloTimeout;

    OperatorSessions(Operators operators, StatsTicker ticker, DashboardReader reader, OperatorToken token,
            ObjectMapper mapper, Vertx vertx, GatewayConfig config) {
        this.operators = operators;
        this.ticker = ticker;
        this.reader = reader;
        this.token = token;
        this.mapper = mapper;
        this.vertx = vertx;
        this.helloTimeout = config.dashboard().helloTimeout();
    }

    void open(WebSocketConnection connection) {
        Operators.Opening opening = operators.open(connection);
        if (opening.displaced() != null) {
            vertx.cancelTimer(opening.displaced().helloTimer());
            refuse(opening.displaced(), "too many sockets are waiting to authenticate: say hello as soon as the socket "
                    + "opens");
        }
        Operator operator = opening.operator();
        operator.helloTimer(vertx.setTimer(Math.max(1, helloTimeout.toMillis()), id -> {
            if (!operator.authenticated()) {
                refuse(operator, "no hello with the operator token within " + helloTimeout.toMillis() + " ms");
            }
        }));
    }

    void close(WebSocketConnection connection) {
        Operator operator = operators.close(connection);
        if (operator != null) {
            vertx.cancelTimer(operator.helloTimer());
        }
        ticker.stopIfIdle();
    }

    Uni<Void> text(WebSocketConnection connection, String text) {
        Operator operator = operators.find(connection);
        if (operator == null) {
            return done();
        }
        JsonNode frame;
        try {
            frame = mapper.readTree(text);
        } catch (Exception e) {
            frame = null;
        }
        String type = frame != null && frame.isObject() ? frame.path("type").asText("") : "";
        if (!operator.authenticated()) {
            return hello(operator, frame, type);
        }
        if (frame == null || !frame.isObject()) {
            return error(operator, "bad-frame",
                    "frames are JSON objects such as {\"type\":\"job\",\"id\":\"<job id>\"}");
        }
        return switch (type) {
            case "job" -> job(operator, frame);
            case "dead" -> dead(operator, frame);
            case "hello" -> error(operator, "bad-request", "this socket is already authenticated");
            default -> error(operator, "unknown-type", "unknown type '" + abbreviate(type) + "': use job or dead");
        };
    }

    void binary(WebSocketConnection connection) {
        reject(connection, "unsupported-frame", "binary frames are not supported: send JSON text frames");
    }

    void failed(WebSocketConnection connection, Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        if (message.contains("max message size")) {
            reject(connection, "frame-too-large", "operator frames are small JSON objects");
        } else {
            LOG.debugf("operator socket %s: %s", connection.id(), message);
        }
    }

    private Uni<Void> hello(Operator operator, JsonNode frame, String type) {
        if (!"hello".equals(type)) {
            refuse(operator, "say {\"type\":\"hello\",\"token\":\"<operator token>\"} first");
            return done();
        }
        if (!token.matches(frame.path("token").asText(null))) {
            refuse(operator, "the operator token is not valid");
            return done();
        }
        vertx.cancelTimer(operator.helloTimer());
        Operators.SignIn signIn = operators.authenticate(operator);
        if (signIn == Operators.SignIn.DISPLACED) {
            return done(); // being closed already
        }
        if (signIn == Operators.SignIn.FULL) {
            operator.sendAndClose(ticker.encode(new ErrorEvent("too-many-operators", "every operator slot of this "
                    + "gateway is taken: try again later")), TRY_AGAIN_LATER, "too many operator sockets");
            return done();
        }
        return ticker.snapshot().invoke(operator::send).onFailure().invoke(e -> {
            LOG.debugf("dashboard snapshot not read: %s", e.getMessage());
            send(operator, new ErrorEvent("unavailable", "Redis did not answer; the dashboard fills in once it does"));
        }).onFailure().recoverWithNull().invoke(() -> {
            operators.listen(operator);
            ticker.ensureRunning();
        }).replaceWithVoid();
    }

    private Uni<Void> job(Operator operator, JsonNode frame) {
        String id = frame.path("id").asText(null);
        if (!Ids.isJobId(id)) {
            return error(operator, "bad-request", "job needs \"id\": a job id as returned by POST /api/jobs");
        }
        return reader.document(id).invoke(doc -> send(operator, new JobDoc(id, doc.orElse(null))))
                .onFailure().invoke(e -> send(operator, new ErrorEvent("unavailable", "job " + id
                        + " cannot be read right now: " + e.getMessage())))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private Uni<Void> dead(Operator operator, JsonNode frame) {
        JsonNode offset = frame.path("offset");
        if (!offset.isIntegralNumber() || offset.asLong() < 0 || offset.asLong() > MAX_OFFSET) {
            return error(operator, "bad-request", "dead needs \"offset\": a whole number from 0 to " + MAX_OFFSET);
        }
        return reader.deadPage(offset.asInt()).invoke(page -> send(operator, new DeadPage(page)))
                .onFailure().invoke(e -> send(operator, new ErrorEvent("unavailable", "the dead list cannot be read right "
                        + "now: " + e.getMessage())))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private void reject(WebSocketConnection connection, String code, String message) {
        Operator operator = operators.find(connection);
        if (operator == null) {
            return;
        }
        if (operator.authenticated()) {
            send(operator, new ErrorEvent(code, message));
        } else {
            refuse(operator, message);
        }
    }

    private void refuse(Operator operator, String message) {
        operator.sendAndClose(ticker.encode(new ErrorEvent("unauthorized", message)), Operator.POLICY_VIOLATION,
                "operator token required");
    }

    private Uni<Void> error(Operator operator, String code, String message) {
        send(operator, new ErrorEvent(code, message));
        return done();
    }

    private void send(Operator operator, Object message) {
        operator.send(ticker.encode(message));
    }

    private static Uni<Void> done() {
        return Uni.createFrom().voidItem();
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
