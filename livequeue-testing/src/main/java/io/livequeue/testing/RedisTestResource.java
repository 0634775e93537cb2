package io.livequeue.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} its own {@link RedisServer} for the life of the test application, and points every
 * Redis client of the application at it. Tests that need the server itself (to stop it, say) get it through
 * {@link #current()}.
 */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile RedisServer current;
    private RedisServer server;

    public static RedisServer current() {
        return current;
    }

    @Override
    public Map<String, String> start() {
        server = RedisServer.start();
        current = server;
        return Map.of("quarkus.redis.hosts", server.url(),
                "quarkus.redis.blocking.hosts", server.url(),
                "quarkus.redis.devservices.enabled", "false");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
