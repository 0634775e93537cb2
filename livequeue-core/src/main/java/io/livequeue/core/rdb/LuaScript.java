package io.livequeue.core.rdb;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.redis.client.Command;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One of the Lua scripts next to this class. Runs by EVALSHA and falls back to EVAL when the server has not seen
 * the script yet (a fresh or restarted Redis, another Cluster node), so nothing has to be loaded up front.
 */
final class LuaScript {

    private final String source;
    private final String sha;

    private LuaScript(String source) {
        this.source = source;
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The script {@code name}. One that publishes runs after {@code prelude.lua} (the clock and the event envelope),
     * as a function, so that the envelopes it collected are published whichever way it returns.
     */
    static LuaScript load(String name, boolean publishes) {
        return new LuaScript(publishes
                ? read("prelude.lua") + "\nlocal reply = (function()\n" + read(name) + "\nend)()\nflush()\nreturn reply\n"
                : read(name));
    }

    private static String read(String name) {
        try (InputStream in = LuaScript.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing Lua script " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Uni<Response> run(Redis redis, List<String> keys, List<String> args) {
        return redis.send(request(Command.EVALSHA, sha, keys, args))
                .onFailure(e -> e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT"))
                .recoverWithUni(() -> redis.send(request(Command.EVAL, source, keys, args)));
    }

    /**
     * Like {@link #run}, followed on the same connection (one pipelined batch) by {@code WAIT replicas waitMillis}:
     * fails unless that many replicas acknowledged the script's writes in time (they are on the master all the same,
     * so the outcome is unknown then).
     */
    Uni<Response> runReplicated(Redis redis, List<String> keys, List<String> args, int replicas, long waitMillis) {
        return redis.batch(List.of(request(Command.EVALSHA, sha, keys, args), waitFor(replicas, waitMillis)))
                .onFailure(e -> e.getMessage() != null && e.getMessage().contains("NOSCRIPT"))
                .recoverWithUni(() -> redis.batch(List.of(request(Command.EVAL, source, keys, args),
                        waitFor(replicas, waitMillis))))
                .map(replies -> {
                    long acknowledged = replies.get(1).toLong();
                    if (acknowledged < replicas) {
                        throw new IllegalStateException("only " + acknowledged + " of " + replicas
                                + " replicas acknowledged within " + waitMillis + " ms");
                    }
                    return replies.get(0);
                });
    }

    private static Request waitFor(int replicas, long waitMillis) {
        return Request.cmd(Command.WAIT).arg(replicas).arg(waitMillis);
    }

    private static Request request(Command command, String script, List<String> keys, List<String> args) {
        Request request = Request.cmd(command).arg(script).arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        return request;
    }
}
