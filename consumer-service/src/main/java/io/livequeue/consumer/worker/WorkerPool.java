package io.livequeue.consumer.worker;

import io.livequeue.core.rdb.Heartbeat;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts the configured number of {@link Worker} threads with the application, keeps the leases of their jobs alive
 * with a heartbeat (stopping attempts that run past their time-out), and stops them with the application: no worker
 * takes a new job, running jobs get {@code shutdown-grace} to finish, and what still runs then is handed back to
 * the queue. Waiting workers hold a connection of the "blocking" Redis client each, so that pool must be larger
 * than the number of workers; this is checked at start rather than discovered as a stall under load.
 */
@Singleton
public class WorkerPool {

    private static final Logger LOG = Logger.getLogger(WorkerPool.class);

    private final JobStore store;
    private final Redis blockingRedis;
    private final JobProcessor processor;
    private final RunningJobs running;
    private final ConsumerConfig config;
    private final WorkerMetrics metrics;
    private final ClaimBatcher batcher;
    private final int blockingPoolSize;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "livequeue-heartbeat"));
    private String consumerId;

    WorkerPool(JobStore store, @RedisClientName("blocking") Redis blockingRedis, JobProcessor processor,
            RunningJobs running, ConsumerConfig config, WorkerMetrics metrics, ClaimBatcher batcher,
            @ConfigProperty(name = "quarkus.redis.blocking.max-pool-size") int blockingPoolSize) {
        this.store = store;
        this.blockingRedis = blockingRedis;
        this.processor = processor;
        this.running = running;
        this.config = config;
        this.metrics = metrics;
        this.batcher = batcher;
        this.blockingPoolSize = blockingPoolSize;
    }

    void start(@Observes StartupEvent event) {
        if (config.workers() < 1 || blockingPoolSize <= config.workers()) {
            throw new IllegalStateException("livequeue.consumer.workers=" + config.workers() + " needs 1 or more "
                    + "workers and quarkus.redis.blocking.max-pool-size above it (now " + blockingPoolSize + ")");
        }
        if (config.heartbeat().compareTo(config.lease().dividedBy(2)) > 0) {
            throw new IllegalStateException("livequeue.consumer.heartbeat must be at most half the lease");
        }
        consumerId = config.id().orElseGet(WorkerPool::defaultId);
        batcher.consumerId(consumerId);
        long every = config.heartbeat().toMillis();
        heartbeat.scheduleWithFixedDelay(this::beat, 0, every, TimeUnit.MILLISECONDS);
        for (int i = 0; i < config.workers(); i++) {
            Thread thread = new Thread(new Worker(store, blockingRedis, processor, running, batcher, config,
                    stopping), "livequeue-worker-" + i);
            threads.add(thread);
            thread.start();
        }
        LOG.infof("consumer %s started %d workers", consumerId, config.workers());
    }

    void stop(@Observes ShutdownEvent event) {
        stopping.countDown();
        if (!join(config.shutdownGrace().plus(config.idleWait()).toMillis())) {
            LOG.warnf("%d jobs still running after the %d ms grace: handing them back to the queue", running.size(),
                    config.shutdownGrace().toMillis());
            running.stopAll();
            join(config.lease().toMillis());
        }
        heartbeat.shutdownNow();
        LOG.infof("consumer %s stopped (%d workers still running)", consumerId, runningWorkers());
    }

    public String consumerId() {
        return consumerId;
    }

    public long runningWorkers() {
        return threads.stream().filter(Thread::isAlive).count();
    }

    private void beat() {
        try {
            Heartbeat beat = store.heartbeat(consumerId, running.stopOverdueAndList(), config.lease(),
                    config.lease().multipliedBy(10), config.retention()).await().atMost(config.lease());
            if (!beat.reclaimed().isEmpty()) {
                beat.reclaimed().forEach(job -> metrics.reclaimed(job.type(), job.priority()));
                LOG.infof("took back %d jobs whose consumer stopped extending their lease", beat.reclaimed().size());
            }
        } catch (RuntimeException e) {
            LOG.debugf("heartbeat failed: %s", e.getMessage());
        }
    }

    /** Waits for every worker thread to end, at most {@code millis} in all; true if they all did. */
    private boolean join(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return runningWorkers() == 0;
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
