package io.livequeue.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} its own three-master {@link RedisCluster} for the life of the test application and
 * points every Redis client of the application at it as a Cluster client ({@code quarkus.redis.client-type=cluster},
 * the consumer's {@code blocking} client too). Tests that need the cluster itself get it through {@link #current()}.
 */
public class RedisClusterTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile RedisCluster current;
    private RedisCluster cluster;

    public static RedisCluster current() {
        return current;
    }

    @Override
    public Map<String, String> start() {
        cluster = RedisCluster.start();
        current = cluster;
        return Map.of("quarkus.redis.client-type", "cluster",
                "quarkus.redis.hosts", cluster.hosts(),
                "quarkus.redis.blocking.client-type", "cluster",
                "quarkus.redis.blocking.hosts", cluster.hosts(),
                "quarkus.redis.devservices.enabled", "false");
    }

    @Override
    public void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
