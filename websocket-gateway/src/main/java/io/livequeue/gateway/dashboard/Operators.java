package io.livequeue.gateway.dashboard;

import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator sockets of this gateway, and among them the listeners: authenticated and sent their snapshot, so
 * they get the stats frame every second. A broadcast hands the same encoded text to every listener.
 */
@Singleton
public class Operators {

    /** Operator sockets one gateway accepts, signed in or not: a dashboard is for a handful of people. */
    static final int MAX_SOCKETS = 100;

    private final Map<String, Operator> byConnection = new ConcurrentHashMap<>();
    private final Set<Operator> listeners = ConcurrentHashMap.newKeySet();

    /** Registers a new socket, or returns null when {@link #MAX_SOCKETS} are open already. */
    synchronized Operator open(WebSocketConnection connection) {
        if (byConnection.size() >= MAX_SOCKETS) {
            return null;
        }
        Operator operator = new Operator(connection);
        byConnection.put(connection.id(), operator);
        return operator;
    }

    Operator find(WebSocketConnection connection) {
        return byConnection.get(connection.id());
    }

    /** @return the socket's operator, if it was still registered */
    synchronized Operator close(WebSocketConnection connection) {
        Operator operator = byConnection.remove(connection.id());
        if (operator != null) {
            listeners.remove(operator);
        }
        return operator;
    }

    synchronized void listen(Operator operator) {
        if (byConnection.containsKey(operator.id())) {
            listeners.add(operator);
        }
    }

    /** Operators that get the stats every second. */
    public int listening() {
        return listeners.size();
    }

    void broadcast(String text) {
        listeners.forEach(operator -> operator.send(text));
    }
}
