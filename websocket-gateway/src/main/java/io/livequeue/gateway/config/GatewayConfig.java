package io.livequeue.gateway.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The gateway's own settings; see the "gateway" section of application.properties. */
@ConfigMapping(prefix = "livequeue.gateway")
public interface GatewayConfig {

    /** Where the demo page sends jobs; when unset the page uses its own host name on port 8081. */
    Optional<String> producerUrl();

    /** Jobs one connection may watch at once. */
    @WithDefault("1000")
    int maxSubscriptionsPerConnection();

    /** Open sockets this gateway accepts; beyond, the upgrade is refused with 503 so clients try another gateway. */
    @WithDefault("10000")
    int maxConnections();

    /** Browser origins allowed to connect (e.g. https://app.example.com); unset: any. Clients without Origin pass. */
    Optional<List<String>> allowedOrigins();

    /**
     * Messages waiting to be written to one socket. A client that stops reading fills it and is closed (1008), so
     * it can neither slow delivery to others nor grow the gateway's memory. A batch of 1,000 jobs for one inbox hands
     * that socket 1,000 {@code queued} events at once (then their {@code active} and final ones), so the limit holds a
     * few such batches.
     */
    @WithDefault("5000")
    int maxQueuedMessages();

    /** Characters (bytes, for ASCII) of messages waiting to be written to one socket; beyond, as above. */
    @WithDefault("8M")
    MemorySize maxQueuedBytes();

    /** A socket from which nothing, not even a pong, was heard for this long is closed as dead. */
    @WithDefault("60s")
    Duration idleTimeout();
}
