package io.livequeue.core.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How livequeue talks to Redis; the connection itself is {@code quarkus.redis.hosts} (REDIS_URL), credentials
 * included: {@code redis://user:password@host:6379}, or {@code rediss://…} for TLS.
 */
@ConfigMapping(prefix = "livequeue.redis")
public interface StorageConfig {

    /** First part of every key, so several installations can share one Redis. */
    @WithDefault("livequeue")
    String keyPrefix();

    /** A command without an answer after this fails as "Redis unavailable" instead of hanging the caller. */
    @WithDefault("3s")
    Duration commandTimeout();

    /**
     * Publish and subscribe with sharded pub/sub (SPUBLISH/SSUBSCRIBE, Redis 7). Unset: on when
     * {@code quarkus.redis.client-type} is {@code cluster}, where plain PUBLISH would be copied to every node.
     */
    Optional<Boolean> shardedPubsub();

    /**
     * Replicas that must hold a submitted job before the producer answers 202 (Redis {@code WAIT} after
     * {@code enqueue.lua}, at most half the command timeout); otherwise the submit fails as "outcome unknown" (503).
     * 0 (default): do not wait. Redis replicates asynchronously: with Sentinel or Cluster replicas, 1 keeps every
     * accepted job through a failover. Never set it higher than the replicas the master has.
     */
    @WithDefault("0")
    int waitForReplicas();

    /**
     * How long each queue keeps the (job, inbox) pairs of its new jobs, so that a gateway whose subscription was down
     * for up to this long (a failover, a slot move, a queue it was not following yet) still delivers their events to
     * its inboxes. 0 keeps none.
     */
    @WithDefault("30s")
    Duration inboxLog();

    /**
     * The CA that signed the Redis server's certificate, a PEM file, for {@code rediss://} URLs (LIVEQUEUE_REDIS_CA):
     * every Redis client of the service trusts it (see {@link RedisTls}). Unset: the JVM's trusted CAs, enough for a
     * Redis whose certificate a public CA signed.
     */
    Optional<Path> ca();

    /**
     * Whether a {@code rediss://} connection checks that the server's certificate names the host it connects to, as
     * HTTPS does (LIVEQUEUE_REDIS_VERIFY_HOSTNAME). Turn it off only for servers reached at addresses their
     * certificates do not name.
     */
    @WithDefault("true")
    boolean verifyHostname();
}
