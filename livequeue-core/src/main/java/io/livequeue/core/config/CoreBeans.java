package io.livequeue.core.config;

import io.livequeue.core.JobTokens;
import io.livequeue.core.Secrets;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.PubSub;
import io.livequeue.core.Routing;
import io.livequeue.core.rdb.Keyspace;
import io.livequeue.core.rdb.Queues;
import io.livequeue.core.rdb.Schedules;
import io.quarkus.runtime.LaunchMode;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Makes the storage protocol and the token signer injectable in every service, configured the same way. */
@Singleton
public class CoreBeans {

    @Produces
    @Singleton
    Keyspace keyspace(StorageConfig config) {
        return new Keyspace(config.keyPrefix());
    }

    @Produces
    @Singleton
    Routing routing(QueuesConfig config) {
        return new Routing(config.routes());
    }

    @Produces
    @Singleton
    Queues queues(Redis redis, Keyspace keyspace, StorageConfig config) {
        return new Queues(redis, keyspace, config.commandTimeout());
    }

    @Produces
    @Singleton
    PubSub pubSub(StorageConfig config,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType) {
        return config.shardedPubsub().orElse("cluster".equalsIgnoreCase(clientType)) ? PubSub.SHARDED : PubSub.PLAIN;
    }

    @Produces
    @Singleton
    JobStore jobStore(Redis redis, Keyspace keyspace, StorageConfig config, PubSub pubsub) {
        return new JobStore(redis, keyspace, config.commandTimeout(), pubsub).waitForReplicas(config.waitForReplicas())
                .inboxLog(config.inboxLog());
    }

    @Produces
    @Singleton
    JobTokens jobTokens(TokenConfig config) {
        if (LaunchMode.current() == LaunchMode.NORMAL) { // dev and test runs keep the printed default
            Secrets.requireStrong("livequeue.token.secret", "LIVEQUEUE_TOKEN_SECRET", config.secret(),
                    TokenConfig.DEV_SECRET);
            config.previousSecret().filter(s -> !s.isBlank()).ifPresent(previous -> Secrets.requireStrong(
                    "livequeue.token.previous-secret", "LIVEQUEUE_TOKEN_PREVIOUS_SECRET", previous,
                    TokenConfig.DEV_SECRET));
        }
        return new JobTokens(config.secret(), config.previousSecret());
    }

    @Produces
    @Singleton
    Schedules schedules(Redis redis, JobStore store, StorageConfig config) {
        return new Schedules(redis, store, config.commandTimeout());
    }
}
