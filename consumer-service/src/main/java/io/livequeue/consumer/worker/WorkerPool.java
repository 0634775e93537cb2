package io.livequeue.consumer.worker;

import io.livequeue.core.rdb.JobStore;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts the configured number of {@link Worker} threads with the application and stops them with it: on shutdown
 * no worker takes a new job, and running jobs get {@code shutdown-grace} to finish and record their outcome.
 * Waiting workers hold a connection of the "blocking" Redis client each, so that pool must be larger than the
 * number of workers; this is checked at start rather than discovered as a stall under load.
 */
@Singleton
public class WorkerPool {

    private static final Logger LOG = Logger.getLogger(WorkerPool.class);

    private final JobStore store;
    private final Redis blockingRedis;
    private final JobProcessor processor;
    private final ConsumerConfig config;
    private final int blockingPoolSize;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();
    private String consumerId;

    WorkerPool(JobStore store, @RedisClientName("blocking") Redis blockingRedis, JobProcessor processor,
            ConsumerConfig config, @ConfigProperty(name = "quarkus.redis.blocking.max-pool-size") int blockingPoolSize) {
        this.store = store;
        this.blockingRedis = blockingRedis;
        this.processor = processor;
        this.config = config;
        this.blockingPoolSize = blockingPoolSize;
    }

    void start(@Observes StartupEvent event) {
        if (config.workers() < 1 || blockingPoolSize <= config.workers()) {
            throw new IllegalStateException("livequeue.consumer.workers=" + config.workers() + " needs 1 or more "
                    + "workers and quarkus.redis.blocking.max-pool-size above it (now " + blockingPoolSize + ")");
        }
        consumerId = config.id().orElseGet(WorkerPool::defaultId);
        for (int i = 0; i < config.workers(); i++) {
            Thread thread = new Thread(new Worker(store, blockingRedis, processor, consumerId, config, stopping),
                    "livequeue-worker-" + i);
            threads.add(thread);
            thread.start();
        }
        LOG.infof("consumer %s started %d workers", consumerId, config.workers());
    }

    void stop(@Observes ShutdownEvent event) {
        stopping.countDown();
        long deadline = System.nanoTime() + config.shutdownGrace().plus(config.idleWait()).toNanos();
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        long running = threads.stream().filter(Thread::isAlive).count();
        if (running > 0) {
            LOG.warnf("%d workers still running after the shutdown grace; their jobs stay leased and will be retried",
                    running);
            threads.forEach(Thread::interrupt);
        } else {
            LOG.infof("consumer %s stopped its %d workers", consumerId, threads.size());
        }
    }

    public String consumerId() {
        return consumerId;
    }

    public long runningWorkers() {
        return threads.stream().filter(Thread::isAlive).count();
    }

    private static String defaultId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "consumer";
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
