package io.livequeue.core.rdb;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every class of the storage protocol does with a call and its reply: a time-out that turns into
 * {@link StorageUnavailableException}, a hash reply as a map, a WITHSCORES reply as pairs (RESP2 and RESP3 alike).
 */
final class Calls {

    private Calls() {
    }

    /** Fails the call with {@link StorageUnavailableException} when Redis fails it or does not answer in time. */
    static <T> Uni<T> guarded(String operation, Duration timeout, Uni<T> call) {
        return call.ifNoItem().after(timeout).failWith(() -> unavailable(operation, timeout, null))
                .onFailure(e -> !(e instanceof StorageUnavailableException || e instanceof QueueFullException))
                .transform(e -> unavailable(operation, timeout, e));
    }

    /**
     * The failure of a call: {@link StorageFullException} when Redis refused it for want of memory, else
     * {@code outcomeUnknown} unless no connection could be made (refused, TLS handshake failed, credentials refused:
     * then the command never reached Redis).
     */
    static StorageUnavailableException unavailable(String operation, Duration timeout, Throwable cause) {
        if (anyInChain(cause, e -> e.getMessage() != null && e.getMessage().startsWith("OOM "))) {
            return new StorageFullException("Redis " + operation + " refused: Redis is at its maxmemory and evicts "
                    + "nothing (" + cause.getMessage() + ")", cause);
        }
        String why = cause == null ? "no answer within " + timeout.toMillis() + " ms" : String.valueOf(cause.getMessage());
        boolean neverSent = anyInChain(cause, e -> e instanceof java.net.ConnectException
                || e instanceof javax.net.ssl.SSLHandshakeException
                || (e.getMessage() != null && (e.getMessage().startsWith("WRONGPASS") || e.getMessage().startsWith(
                        "NOAUTH"))));
        return new StorageUnavailableException("Redis " + operation + " failed: " + why, cause, !neverSent);
    }

    /**
     * Whether {@code cause} or one of its causes is such: Redis's OOM error reply (which a script gets at its first
     * write when Redis is at its maxmemory), a failed connection.
     */
    private static boolean anyInChain(Throwable cause, java.util.function.Predicate<Throwable> such) {
        for (Throwable e = cause; e != null; e = e.getCause()) {
            if (such.test(e)) {
                return true;
            }
        }
        return false;
    }

    static Map<String, String> toMap(Response reply) {
        Map<String, String> map = new HashMap<>();
        if (reply == null) {
            return map;
        }
        for (String key : reply.getKeys()) {
            Response value = reply.get(key);
            map.put(key, value == null ? null : value.toString());
        }
        return map;
    }

    /** A WITHSCORES reply as (member, score) pairs: RESP3 nests pairs, RESP2 alternates member and score. */
    static List<Map.Entry<String, Double>> scored(Response range) {
        List<Map.Entry<String, Double>> entries = new ArrayList<>();
        for (int j = 0; j < range.size(); j++) {
            Response entry = range.get(j);
            if (entry.type() == ResponseType.MULTI) {
                entries.add(Map.entry(entry.get(0).toString(), entry.get(1).toDouble()));
            } else {
                entries.add(Map.entry(entry.toString(), range.get(++j).toDouble()));
            }
        }
        return entries;
    }

    static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
