package io.livequeue.core.config;

import io.livequeue.core.JobTokens;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.PubSub;
import io.livequeue.core.Routing;
import io.livequeue.core.rdb.Keyspace;
import io.livequeue.core.rdb.Queues;
import io.quarkus.runtime.LaunchMode;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Makes the storage protocol and the token signer injectable in every service, configured the same way. */
@Singleton
public class CoreBeans {

    private static final Logger LOG = Logger.getLogger(CoreBeans.class);

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
        if (TokenConfig.DEV_SECRET.equals(config.secret()) && LaunchMode.current() == LaunchMode.NORMAL) {
            LOG.warn("livequeue.token.secret is the development default: set LIVEQUEUE_TOKEN_SECRET so job tokens "
                    + "cannot be forged");
        }
        return new JobTokens(config.secret(), config.previousSecret());
    }
}
