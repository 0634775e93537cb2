package io.livequeue.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a job goes: the queue it names, else the first queue its type is routed to, else {@code default}. A type that
 * is routed may only name one of its queues, so a routed type never reaches a queue whose consumers were not checked
 * for its handler; an unrouted type may name any queue (it is then the sender's business that a consumer of that
 * queue can run it).
 */
public final class Routing {

    private final Map<String, List<String>> routes;

    /** @throws IllegalArgumentException when a route names a malformed queue or none */
    public Routing(Map<String, List<String>> routes) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        routes.forEach((type, queues) -> {
            List<String> names = queues.stream().map(String::trim).filter(q -> !q.isEmpty()).toList();
            if (names.isEmpty() || !names.stream().allMatch(QueueNames::isValid)) {
                throw new IllegalArgumentException("livequeue.queues.routes." + type + "=" + queues
                        + ": a route names one or more queues, each " + QueueNames.RULE);
            }
            copy.put(type, List.copyOf(names));
        });
        this.routes = Map.copyOf(copy);
    }

    /** The queue of a job of {@code type} that names {@code queue} (or null); null if it may not go there. */
    public String queueOf(String type, String queue) {
        List<String> routed = routes.get(type);
        if (queue == null) {
            return routed == null ? QueueNames.DEFAULT : routed.get(0);
        }
        return routed == null || routed.contains(queue) ? queue : null;
    }

    /** The queues a type is routed to; empty when it is not routed. */
    public List<String> queuesOf(String type) {
        return routes.getOrDefault(type, List.of());
    }

    /** The types routed to {@code queue}. */
    public Set<String> typesOf(String queue) {
        Set<String> types = new TreeSet<>();
        routes.forEach((type, queues) -> {
            if (queues.contains(queue)) {
                types.add(type);
            }
        });
        return types;
    }
}
