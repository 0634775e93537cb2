package io.livequeue.consumer.worker;

import io.livequeue.consumer.handler.HandlerRegistry;
import io.livequeue.core.Routing;
import io.livequeue.core.rdb.ClaimedJob;
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
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts the configured number of {@link Worker} threads with the application, and one {@link QueueWaker} per listened
 * queue; keeps the leases of their jobs alive with a heartbeat per queue (stopping attempts that run past their
 * time-out), and stops them with the application: no worker takes a new job, running jobs get {@code shutdown-grace}
 * to finish, and what still runs then is handed back to the queue. Each waker holds a connection of the "blocking"
 * Redis client while it waits, so that pool must be larger than the number of queues; this, and that the consumer can
 * run every type routed to its queues, is checked at start rather than discovered under load. The heartbeat also
 * sets the {@link WorkBoard}'s timer for the queue's next scheduled job and passes on cancellations the
 * {@link CancelListener} may have missed.
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
    private final HandlerRegistry handlers;
    private final Routing routing;
    private final int blockingPoolSize;
    private final CancelListener cancels;
    private QueueSelector selector;
    private WorkBoard board;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "livequeue-heartbeat"));
    private String consumerId;

    WorkerPool(JobStore store, @RedisClientName("blocking") Redis blockingRedis, JobProcessor processor,
            RunningJobs running, ConsumerConfig config, WorkerMetrics metrics, HandlerRegistry handlers,
            Routing routing, @ConfigProperty(name = "quarkus.redis.blocking.max-pool-size") int blockingPoolSize,
            CancelListener cancels) {
        this.cancels = cancels;
        this.store = store;
        this.blockingRedis = blockingRedis;
        this.processor = processor;
        this.running = running;
        this.config = config;
        this.metrics = metrics;
        this.handlers = handlers;
        this.routing = routing;
        this.blockingPoolSize = blockingPoolSize;
    }

    void start(@Observes StartupEvent event) {
        selector = QueueSelector.parse(config.queues());
        List<String> queues = selector.queues();
        if (config.workers() < 1) {
            throw new IllegalStateException("livequeue.consumer.workers=" + config.workers() + ": needs 1 or more");
        }
        if (blockingPoolSize <= queues.size()) {
            throw new IllegalStateException("quarkus.redis.blocking.max-pool-size=" + blockingPoolSize + " must be "
                    + "above the number of queues in livequeue.consumer.queues (" + queues.size() + "): one waiting "
                    + "connection per queue");
        }
        if (config.heartbeat().compareTo(config.lease().dividedBy(2)) > 0) {
            throw new IllegalStateException("livequeue.consumer.heartbeat must be at most half the lease");
        }
        checkRoutedHandlers(queues);
        consumerId = config.id().orElseGet(WorkerPool::defaultId);
        board = new WorkBoard(queues);
        ClaimBatcher batcher = new ClaimBatcher(store, config, selector, board, consumerId);
        cancels.start(queues);
        long every = config.heartbeat().toMillis();
        heartbeat.scheduleWithFixedDelay(this::beat, 0, every, TimeUnit.MILLISECONDS);
        for (String queue : queues) {
            Thread thread = new Thread(new QueueWaker(queue, store, blockingRedis, board, config.idleWait(), stopping),
                    "livequeue-waker-" + queue);
            threads.add(thread);
            thread.start();
        }
        for (int i = 0; i < config.workers(); i++) {
            Thread thread = new Thread(new Worker(board, processor, running, batcher, config, stopping),
                    "livequeue-worker-" + i);
            threads.add(thread);
            thread.start();
        }
        LOG.infof("consumer %s started %d workers on queues %s, running %s", consumerId, config.workers(), selector,
                new TreeSet<>(handlers.types()));
    }

    /**
     * A type routed to a listened queue must have its handler here, or jobs of that type would reach a consumer that
     * cannot run them; said in one line, and fatal unless {@code require-routed-handlers} is off.
     */
    private void checkRoutedHandlers(List<String> queues) {
        List<String> missing = new ArrayList<>();
        for (String queue : queues) {
            for (String type : routing.typesOf(queue)) {
                if (handlers.find(type).isEmpty()) {
                    missing.add(type + " (queue " + queue + ")");
                }
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String line = "this consumer listens to queues that receive job types it has no handler for: "
                + String.join(", ", missing) + "; add them to livequeue.consumer.handlers, listen elsewhere, or set "
                + "livequeue.consumer.require-routed-handlers=false";
        if (config.requireRoutedHandlers()) {
            throw new IllegalStateException(line);
        }
        LOG.warn(line);
    }

    void stop(@Observes ShutdownEvent event) {
        stopping.countDown();
        cancels.stop();
        if (board != null) {
            board.wakeAll();
        }
        if (!join(config.shutdownGrace().plus(config.idleWait()).toMillis())) {
            LOG.warnf("%d jobs still running after the %d ms grace: handing them back to the queue", running.size(),
                    config.shutdownGrace().toMillis());
            running.stopAll();
            join(config.lease().toMillis());
        }
        heartbeat.shutdownNow();
        if (board != null) {
            board.stop();
        }
        LOG.infof("consumer %s stopped (%d workers still running)", consumerId, runningWorkers());
    }

    public String consumerId() {
        return consumerId;
    }

    /** The running worker threads (wakers not counted). */
    public long runningWorkers() {
        return threads.stream().filter(t -> t.getName().startsWith("livequeue-worker-") && t.isAlive()).count();
    }

    /** The queues this consumer listens to, in its order. */
    public List<String> queues() {
        return selector == null ? List.of() : selector.queues();
    }

    /** One heartbeat script per queue, all at once. */
    private void beat() {
        List<ClaimedJob> jobs = running.stopOverdueAndList();
        for (String queue : selector.queues()) {
            store.heartbeat(queue, consumerId, jobs, config.lease(), config.lease().multipliedBy(10),
                    config.retention()).subscribe().with(beat -> {
                        board.due(queue, beat.nextDue(), 0);
                        beat.cancelled().forEach(running::cancel);
                        if (!beat.reclaimed().isEmpty()) {
                            beat.reclaimed().forEach(job -> metrics.reclaimed(job.queue(), job.type(), job.priority()));
                            LOG.infof("took back %d jobs of queue %s whose consumer stopped extending their lease",
                                    beat.reclaimed().size(), queue);
                        }
                    }, e -> LOG.debugf("heartbeat of queue %s failed: %s", queue, e.getMessage()));
        }
    }

    /** Waits for every worker thread to end, at most {@code millis} in all; true if they all did. */
    private boolean join(long millis) {
        // the wakers end within one idle wait of the stop, like the workers
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
