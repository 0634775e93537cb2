package io.livequeue.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A private, throw-away Redis Sentinel set-up of real {@code redis-server} processes on free loopback ports: a master,
 * one replica ({@code --replicaof} the master) and one sentinel monitoring the master as {@value #MASTER_NAME}
 * (quorum 1, {@code down-after-milliseconds} 1000). {@link #start()} returns once the sentinel knows the replica and
 * the master accepts writes; {@link #failover(Duration)} forces a failover ({@code SENTINEL FAILOVER}) and returns
 * once the sentinel reports the replica as the new master. {@link #close()} stops everything and removes the
 * directories. Never touches the Redis on 6379.
 *
 * <p>With {@code guardWrites} (the default) the first master runs with {@code min-replicas-to-write 1}: Redis
 * replicates asynchronously, and without the guard a write that reaches the old master after the replica was
 * promoted, but before clients moved on, is acknowledged and then thrown away when the old master becomes a replica.
 * With the guard the old master refuses it ({@code NOREPLICAS}) as soon as its replica has left it. The promoted
 * replica runs without the guard (it has no replica until the old master has been converted, seconds later).
 */
public final class RedisSentinelSetup implements AutoCloseable {

    /** The master name the sentinel monitors ({@code quarkus.redis.master-name}). */
    public static final String MASTER_NAME = "livequeue";

    private final Path dir;
    private final List<RedisServer> servers = new ArrayList<>();
    private RedisServer sentinel;

    private RedisSentinelSetup(Path dir) {
        this.dir = dir;
    }

    /** Master (with the write guard), replica and sentinel. */
    public static RedisSentinelSetup start() {
        return start(true);
    }

    public static RedisSentinelSetup start(boolean guardWrites) {
        RedisSentinelSetup setup;
        try {
            setup = new RedisSentinelSetup(Files.createTempDirectory("livequeue-sentinel-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            setup.launch(guardWrites);
            return setup;
        } catch (RuntimeException e) {
            setup.close();
            throw e;
        }
    }

    /** For {@code quarkus.redis.hosts} with {@code quarkus.redis.client-type=sentinel}. */
    public String sentinelUrl() {
        return sentinel.url();
    }

    public String masterName() {
        return MASTER_NAME;
    }

    public RedisServer sentinel() {
        return sentinel;
    }

    /** The server the sentinel currently reports as master. */
    public RedisServer master() {
        int port = reportedMasterPort();
        return servers.stream().filter(s -> s.port() == port).findFirst()
                .orElseThrow(() -> new IllegalStateException("the sentinel reports an unknown master on " + port));
    }

    /** The data server that is not the reported master. */
    public RedisServer replica() {
        int port = reportedMasterPort();
        return servers.stream().filter(s -> s.port() != port).findFirst().orElseThrow();
    }

    /**
     * Forces a failover ({@code SENTINEL FAILOVER livequeue}, repeated while the sentinel answers that it cannot
     * start one yet) and waits until the sentinel reports the replica as master and that server says it is one.
     * The old master goes on as a master until the sentinel reconfigures it as a replica of the new one, about ten
     * seconds later (see {@link #awaitReplicating(RedisServer, Duration)}).
     *
     * @return the new master
     */
    public RedisServer failover(Duration atMost) {
        RedisServer oldMaster = master();
        RedisServer promoted = replica();
        await("the sentinel accepts SENTINEL FAILOVER " + MASTER_NAME + " (logs in " + dir + ")").atMost(atMost)
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    try {
                        return "OK".equals(Resp.call(sentinel.port(), "SENTINEL", "FAILOVER", MASTER_NAME));
                    } catch (Resp.ErrorReply e) {
                        if (e.getMessage().startsWith("INPROG")) {
                            return true; // one is already running: wait for it below
                        }
                        return false; // NOGOODSLAVE: the sentinel has not confirmed the replica yet
                    }
                });
        await("the sentinel reports " + promoted.url() + " as the new master (logs in " + dir + ")").atMost(atMost)
                .pollInterval(Duration.ofMillis(50)).until(() -> reportedMasterPortOrZero() == promoted.port()
                        && "master".equals(role(promoted)));
        if (oldMaster.port() == promoted.port()) {
            throw new IllegalStateException("no failover happened");
        }
        return promoted;
    }

    /** Waits until {@code server} is a replica with its link to the current master up. */
    public void awaitReplicating(RedisServer server, Duration atMost) {
        await(server.url() + " replicating from the master (logs in " + dir + ")").atMost(atMost)
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    Object role = Resp.tryCall(server.port(), "ROLE");
                    return role instanceof List<?> r && "slave".equals(r.get(0))
                            && Objects.equals(Long.valueOf(reportedMasterPortOrZero()), r.get(2))
                            && "connected".equals(r.get(3));
                });
    }

    @Override
    public void close() {
        if (sentinel != null) {
            sentinel.close();
        }
        servers.forEach(RedisServer::close);
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.compareTo(a)).map(Path::toFile).forEach(File::delete);
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }

    private void launch(boolean guardWrites) {
        try {
            // a full sync starts at once instead of after the default 5 s wait for more replicas
            List<String> masterArgs = new ArrayList<>(List.of("--repl-diskless-sync-delay", "0"));
            if (guardWrites) {
                masterArgs.addAll(List.of("--min-replicas-to-write", "1", "--min-replicas-max-lag", "10"));
            }
            RedisServer master = RedisServer.start(RedisServer.freePort(), Files.createDirectories(dir.resolve("a")),
                    List.of(), masterArgs);
            servers.add(master);
            RedisServer replica = RedisServer.start(RedisServer.freePort(), Files.createDirectories(dir.resolve("b")),
                    List.of(), List.of("--repl-diskless-sync-delay", "0", "--replicaof", "127.0.0.1",
                            Integer.toString(master.port())));
            servers.add(replica);
            Path sentinelDir = Files.createDirectories(dir.resolve("sentinel"));
            Path config = sentinelDir.resolve("sentinel.conf");
            Files.writeString(config, String.join("\n",
                    "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " 1",
                    "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                    "sentinel failover-timeout " + MASTER_NAME + " 10000", ""), StandardCharsets.UTF_8);
            sentinel = RedisServer.start(RedisServer.freePort(), sentinelDir, List.of(config.toString(), "--sentinel"),
                    List.of());

            awaitReplicating(replica, Duration.ofSeconds(30));
            await("the sentinel knows the replica " + replica.url() + " (logs in " + dir + ")")
                    .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> knowsReplica(replica.port()));
            // with the guard, writes are refused until the replica has acknowledged the master once
            await("the master " + master.url() + " accepts writes").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> "OK".equals(Resp.tryCall(master.port(), "SET", "sentinel-setup:probe", "1"))
                            && Long.valueOf(1).equals(Resp.tryCall(master.port(), "DEL", "sentinel-setup:probe")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean knowsReplica(int port) {
        Object replicas = Resp.tryCall(sentinel.port(), "SENTINEL", "REPLICAS", MASTER_NAME);
        if (!(replicas instanceof List<?> list)) {
            return false;
        }
        for (Object entry : list) {
            Map<String, String> fields = fields((List<?>) entry);
            if (String.valueOf(port).equals(fields.get("port")) && "slave".equals(fields.get("flags"))
                    && "ok".equals(fields.get("master-link-status"))) {
                return true;
            }
        }
        return false;
    }

    private int reportedMasterPort() {
        List<?> address = (List<?>) Resp.call(sentinel.port(), "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
        return Integer.parseInt((String) address.get(1));
    }

    private int reportedMasterPortOrZero() {
        try {
            return reportedMasterPort();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static String role(RedisServer server) {
        Object role = Resp.tryCall(server.port(), "ROLE");
        return role instanceof List<?> r ? String.valueOf(r.get(0)) : null;
    }

    private static Map<String, String> fields(List<?> flat) {
        java.util.HashMap<String, String> map = new java.util.HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
        }
        return map;
    }
}
