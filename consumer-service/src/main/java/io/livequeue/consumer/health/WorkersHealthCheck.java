package io.livequeue.consumer.health;

import io.livequeue.consumer.worker.ConsumerConfig;
import io.livequeue.consumer.worker.WorkerPool;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while every configured worker thread is running; a dead worker means jobs are not being taken. */
@Liveness
@Singleton
public class WorkersHealthCheck implements HealthCheck {

    private final WorkerPool pool;
    private final ConsumerConfig config;

    WorkersHealthCheck(WorkerPool pool, ConsumerConfig config) {
        this.pool = pool;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        long running = pool.runningWorkers();
        return HealthCheckResponse.named("workers")
                .status(running == config.workers())
                .withData("consumer", String.valueOf(pool.consumerId()))
                .withData("running", running)
                .withData("configured", config.workers())
                .build();
    }
}
