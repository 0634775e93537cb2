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
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A private, throw-away Redis Cluster of real {@code redis-server} processes: {@code masters} nodes started with
 * {@code --cluster-enabled yes} on free loopback ports (client port and cluster bus port both chosen free), joined by
 * {@code redis-cli --cluster create … --cluster-replicas 0 --cluster-yes}, and returned once every node reports
 * {@code cluster_state:ok}. {@link #close()} stops every node and removes their directories. Never touches the Redis
 * on 6379.
 */
public final class RedisCluster implements AutoCloseable {

    private static final String CLI_HINT =
            "redis-cli was not found on the PATH: install it (Debian/Ubuntu: apt-get install -y redis-server, which "
                    + "brings redis-tools) or point REDIS_CLI at the binary";

    private final Path dir;
    private final List<RedisServer> nodes = new ArrayList<>();

    private RedisCluster(Path dir) {
        this.dir = dir;
    }

    /** A cluster of three masters and no replicas. */
    public static RedisCluster start() {
        return start(3);
    }

    /** A cluster of {@code masters} masters (at least 3, as {@code redis-cli --cluster create} wants) and no replicas. */
    public static RedisCluster start(int masters) {
        String cli = RedisServer.tool("redis-cli", "REDIS_CLI", CLI_HINT);
        RedisCluster cluster;
        try {
            cluster = new RedisCluster(Files.createTempDirectory("livequeue-cluster-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            for (int i = 0; i < masters; i++) {
                cluster.nodes.add(cluster.startNode(i));
            }
            cluster.create(cli);
            cluster.awaitHealthy(Duration.ofSeconds(30));
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** The nodes, for {@code quarkus.redis.hosts}: {@code redis://127.0.0.1:p1,redis://127.0.0.1:p2,…}. */
    public String hosts() {
        return nodes.stream().map(RedisServer::url).collect(Collectors.joining(","));
    }

    public List<RedisServer> nodes() {
        return List.copyOf(nodes);
    }

    /** The node that serves {@code key}'s slot (e.g. {@code "livequeue:{jobs}:signal"}). */
    public RedisServer nodeFor(String key) {
        long slot = (Long) Resp.call(nodes.get(0).port(), "CLUSTER", "KEYSLOT", key);
        for (Object range : (List<?>) Resp.call(nodes.get(0).port(), "CLUSTER", "SLOTS")) {
            List<?> r = (List<?>) range;
            if ((Long) r.get(0) <= slot && slot <= (Long) r.get(1)) {
                long port = (Long) ((List<?>) r.get(2)).get(1);
                return nodes.stream().filter(n -> n.port() == port).findFirst().orElseThrow();
            }
        }
        throw new IllegalStateException("no node serves slot " + slot);
    }

    /**
     * Moves the slot of {@code key}, with its keys, to {@code target}, as {@code redis-cli --cluster reshard} does
     * (SETSLOT IMPORTING/MIGRATING, MIGRATE, SETSLOT NODE on every node): clients of the old owner get MOVED from then
     * on, and its sharded pub/sub subscribers of channels in that slot get an {@code sunsubscribe}.
     */
    public void moveSlotOf(String key, RedisServer target) {
        RedisServer source = nodeFor(key);
        if (source == target) {
            return;
        }
        String slot = String.valueOf(Resp.call(source.port(), "CLUSTER", "KEYSLOT", key));
        String sourceId = (String) Resp.call(source.port(), "CLUSTER", "MYID");
        String targetId = (String) Resp.call(target.port(), "CLUSTER", "MYID");
        Resp.call(target.port(), "CLUSTER", "SETSLOT", slot, "IMPORTING", sourceId);
        Resp.call(source.port(), "CLUSTER", "SETSLOT", slot, "MIGRATING", targetId);
        for (List<?> batch = keysIn(source, slot); !batch.isEmpty(); batch = keysIn(source, slot)) {
            List<String> migrate = new ArrayList<>(List.of("MIGRATE", "127.0.0.1", String.valueOf(target.port()), "",
                    "0", "5000", "REPLACE", "KEYS"));
            batch.forEach(k -> migrate.add((String) k));
            Resp.call(source.port(), migrate.toArray(String[]::new));
        }
        Resp.call(target.port(), "CLUSTER", "SETSLOT", slot, "NODE", targetId);
        Resp.call(source.port(), "CLUSTER", "SETSLOT", slot, "NODE", targetId);
        for (RedisServer node : nodes) {
            if (node != source && node != target) {
                Resp.call(node.port(), "CLUSTER", "SETSLOT", slot, "NODE", targetId);
            }
        }
    }

    private static List<?> keysIn(RedisServer node, String slot) {
        return (List<?>) Resp.call(node.port(), "CLUSTER", "GETKEYSINSLOT", slot, "1000");
    }

    /** Waits until every running node reports {@code cluster_state:ok}. */
    public void awaitHealthy(Duration atMost) {
        await("cluster_state:ok on every node of " + hosts() + " (logs in " + dir + ")").atMost(atMost)
                .pollInterval(Duration.ofMillis(100)).until(() -> nodes.stream().filter(RedisServer::isRunning)
                        .allMatch(node -> {
                            Object info = Resp.tryCall(node.port(), "CLUSTER", "INFO");
                            return info instanceof String text && text.contains("cluster_state:ok");
                        }));
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.compareTo(a)).map(Path::toFile).forEach(File::delete);
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }

    private RedisServer startNode(int index) {
        try {
            Path nodeDir = Files.createDirectories(dir.resolve("node-" + index));
            int port = RedisServer.freePort();
            int busPort = RedisServer.freePort();
            while (busPort == port) {
                busPort = RedisServer.freePort();
            }
            return RedisServer.start(port, nodeDir, List.of(), List.of("--cluster-enabled", "yes",
                    "--cluster-config-file", nodeDir.resolve("nodes.conf").toString(),
                    // the bus port is not client port + 10000 (which may be taken or beyond 65535): a free one
                    "--cluster-port", Integer.toString(busPort),
                    "--cluster-node-timeout", "3000"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void create(String cli) {
        List<String> command = new ArrayList<>(List.of(cli, "--cluster", "create"));
        nodes.forEach(node -> command.add("127.0.0.1:" + node.port()));
        command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        Path log = dir.resolve("cluster-create.log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("redis-cli --cluster create did not finish within 60 s: "
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed (exit " + process.exitValue()
                        + "): " + Files.readString(log, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException(CLI_HINT + " (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
