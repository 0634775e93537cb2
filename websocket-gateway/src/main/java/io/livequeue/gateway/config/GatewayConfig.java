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

    /**
     * Open sockets this gateway accepts; beyond, the upgrade is refused with 503 so clients try another gateway. Each
     * idle socket holds about 7 KB of heap: the JVM's heap must leave room for this many (see application.properties).
     */
    @WithDefault("10000")
    int maxConnections();

    /**
     * Open sockets one client address may hold (an IPv6 address counts by its /64); beyond, the upgrade is refused
     * with 429. 0: no cap. The address is the TCP peer's unless {@code quarkus.http.proxy.*} says to trust a proxy.
     */
    @WithDefault("200")
    int maxConnectionsPerAddress();

    /** Frames a client socket may send per second on average; 0: no limit. Frames over it are dropped. */
    @WithDefault("100")
    int maxFramesPerSecond();

    /** Frames a client socket may send at once above the average (a resubscription after a reconnect, say). */
    @WithDefault("1000")
    int frameBurst();

    /** A socket whose frames have been dropped for this long without a pause is closed (1008); 0: never. */
    @WithDefault("10s")
    Duration throttledCloseAfter();

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

    /** The operators' dashboard socket ({@code /dashboard/ws}). */
    Dashboard dashboard();

    /**
     * Operator sockets: those still to show the token get few slots and little time, so that anonymous sockets cannot
     * crowd out operators.
     */
    interface Dashboard {

        /**
         * Sockets that have not yet said hello with the operator token, at once; a new one beyond takes the slot of
         * the oldest, which is closed.
         */
        @WithDefault("20")
        int maxUnauthenticated();

        /** How long a socket may take to say hello with the operator token before it is closed (1008). */
        @WithDefault("5s")
        Duration helloTimeout();

        /** Signed-in operator sockets, at once; beyond, the socket is closed (1013) when it says hello. */
        @WithDefault("100")
        int maxOperators();
    }
}
