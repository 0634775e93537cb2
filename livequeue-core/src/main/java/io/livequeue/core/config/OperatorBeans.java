package io.livequeue.core.config;

import io.livequeue.core.OperatorToken;
import io.livequeue.core.rdb.Inspector;
import io.livequeue.core.rdb.DeadLetters;
import io.livequeue.core.rdb.InboxLog;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.Keyspace;
import io.quarkus.runtime.LaunchMode;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Makes the operator side injectable: the read-only {@link Inspector} behind the dashboard and the operator token
 * check shared by the dashboard channel and the producer's dead-letter actions. Kept apart from {@link CoreBeans}:
 * only the producer and the gateway inject these (the consumer's build drops them as unused).
 */
@Singleton
public class OperatorBeans {

    private static final Logger LOG = Logger.getLogger(OperatorBeans.class);

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
    InboxLog inboxLog(Redis redis, Keyspace keyspace, StorageConfig config) {
        return new InboxLog(redis, keyspace, config.commandTimeout());
    }

    @Produces
    @Singleton
    OperatorToken operatorToken(OperatorConfig config) {
        if (OperatorConfig.DEV_TOKEN.equals(config.token()) && LaunchMode.current() == LaunchMode.NORMAL) {
            LOG.warn("livequeue.operator.token is the development default: set LIVEQUEUE_OPERATOR_TOKEN so only "
                    + "operators can use the dashboard and the dead-letter actions");
        }
        return new OperatorToken(config.token());
    }
}
