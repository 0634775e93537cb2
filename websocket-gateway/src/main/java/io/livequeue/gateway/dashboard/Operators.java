package io.livequeue.gateway.dashboard;

import io.livequeue.gateway.config.GatewayConfig;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.inject.Singleton;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator sockets of this gateway, and among them the listeners: authenticated and sent their snapshot, so
 * they get the stats frame every second. A broadcast hands the same encoded text to every listener. Sockets still to
 * show the token and signed-in operators have separate slots ({@code livequeue.gateway.dashboard.*}): anyone can
 * open the first kind, so there are few of them, a socket holds one for the hello time-out at most, and a new socket
 * that finds them all taken takes the oldest one's (that socket is closed). An operator's page says hello as soon as
 * its socket opens, so to keep it out anonymous sockets would have to take every slot again within that round trip;
 * once signed in it holds one of the operators' slots, which no anonymous socket can take.
 */
@Singleton
public class Operators {

    /** What {@link #open} did: the new socket's operator, and the anonymous socket it displaced, if any. */
    record Opening(Operator operator, Operator displaced) {
    }

    private final GatewayConfig.Dashboard config;
    private final Map<String, Operator> byConnection = new ConcurrentHashMap<>();
    private final Set<Operator> listeners = ConcurrentHashMap.newKeySet();
    /** Sockets still to show the token, oldest first. */
    private final Map<String, Operator> waiting = new LinkedHashMap<>();
    private int authenticated;

    Operators(GatewayConfig config) {
        this.config = config.dashboard();
    }

    /**
     * Registers a new socket, not yet authenticated. When the anonymous slots are all taken, the oldest anonymous
     * socket gives up its slot to it: the caller closes that one.
     */
    synchronized Opening open(WebSocketConnection connection) {
        Operator displaced = null;
        if (waiting.size() >= Math.max(1, config.maxUnauthenticated())) {
            Iterator<Operator> oldest = waiting.values().iterator();
            displaced = oldest.next();
            oldest.remove();
        }
        Operator operator = new Operator(connection);
        byConnection.put(connection.id(), operator);
        waiting.put(connection.id(), operator);
        return new Opening(operator, displaced);
    }

    /** The outcome of {@link #authenticate}. */
    enum SignIn {
        /** the socket now holds an operator's slot */
        ADMITTED,
        /** every operator slot is taken */
        FULL,
        /** the socket lost its anonymous slot to a newer one (or is gone): it is being closed */
        DISPLACED
    }

    /** Moves a socket that showed the token from the anonymous slots to the operators' ones, if one is free. */
    synchronized SignIn authenticate(Operator operator) {
        if (waiting.get(operator.id()) != operator) {
            return SignIn.DISPLACED;
        }
        if (authenticated >= config.maxOperators()) {
            return SignIn.FULL;
        }
        waiting.remove(operator.id());
        authenticated++;
        operator.authenticate();
        return SignIn.ADMITTED;
    }

    Operator find(WebSocketConnection connection) {
        return byConnection.get(connection.id());
    }

    /** @return the socket's operator, if it was still registered */
    synchronized Operator close(WebSocketConnection connection) {
        Operator operator = byConnection.remove(connection.id());
        if (operator != null) {
            listeners.remove(operator);
            if (operator.authenticated()) {
                authenticated--;
            } else {
                waiting.remove(connection.id(), operator);
            }
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

    /** Sockets holding an anonymous slot: open, and still to show the operator token. */
    public synchronized int unauthenticated() {
        return waiting.size();
    }

    /** Sockets holding an operator's slot. */
    public synchronized int authenticated() {
        return authenticated;
    }

    void broadcast(String text) {
        listeners.forEach(operator -> operator.send(text));
    }
}
