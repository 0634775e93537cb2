package io.livequeue.core.config;

import io.livequeue.core.OperatorToken;
import io.livequeue.core.Secrets;
import io.livequeue.core.rdb.ApiKeys;
import io.livequeue.core.rdb.Inspector;
import io.livequeue.core.rdb.DeadLetters;
import io.livequeue.core.rdb.InboxLog;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.Keyspace;
import io.quarkus.runtime.LaunchMode;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Makes the operator side injectable: the read-only {@link Inspector} behind the dashboard and the operator token
 * check shared by the dashboard channel and the producer's dead-letter actions. Kept apart from {@link CoreBeans}:
 * only the producer and the gateway inject these (the consumer's build drops them as unused).
 */
@Singleton
public class OperatorBeans {

    @Produces
    @Singleton
    Inspector inspector(Redis redis, Keyspace keyspace, StorageConfig config) {
        return new Inspector(redis, keyspace, config.commandTimeout());
    }

    @Produces
    @Singleton
    DeadLetters deadLetters(Redis redis, JobStore store, StorageConfig config) {
        return new DeadLetters(redis, store, config.commandTimeout());
    }

    @Produces
    @Singleton
    ApiKeys apiKeys(Redis redis, Keyspace keyspace, StorageConfig config) {
        return new ApiKeys(redis, keyspace, config.commandTimeout());
    }

    @Produces
    @Singleton
    InboxLog inboxLog(Redis redis, Keyspace keyspace, StorageConfig config) {
        return new InboxLog(redis, keyspace, config.commandTimeout());
    }

    @Produces
    @Singleton
    OperatorToken operatorToken(OperatorConfig config) {
        if (LaunchMode.current() == LaunchMode.NORMAL) { // dev and test runs keep the printed default
            Secrets.requireStrong("livequeue.operator.token", "LIVEQUEUE_OPERATOR_TOKEN", config.token(),
                    OperatorConfig.DEV_TOKEN);
        }
        return new OperatorToken(config.token());
    }
}
