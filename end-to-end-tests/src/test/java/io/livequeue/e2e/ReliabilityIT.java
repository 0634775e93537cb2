package io.livequeue.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Fault injection against real processes on a real Redis: a consumer killed with SIGKILL mid-run, Redis stopped and
 * restarted mid-run, a consumer stopped with SIGTERM under load, and a dead job brought back by REST. In every case
 * every accepted job ends {@code completed}, exactly once. The figures go to {@code target/reliability.md}.
 */
class ReliabilityIT {

    @Test
    void consumerKilledMidRunLosesNoJob() {
        int jobs = 2000;
        try (LiveStack stack = LiveStack.start("kill-consumer", 0); JobWatcher watcher = new JobWatcher(stack)) {
            // 8 workers each, so at most 8 jobs run on the consumer that is killed (the default is 32)
            for (int i = 0; i < 2; i++) {
                stack.startConsumer("livequeue.consumer.workers=8", "quarkus.redis.blocking.max-pool-size=12");
            }
            submitSleepJobs(stack, watcher.inbox(), jobs, 25);
            watcher.awaitCompleted(300, Duration.ofSeconds(60));

            long killedAt = System.nanoTime();
            stack.consumers().get(0).kill();
            watcher.awaitCompleted(jobs, Duration.ofSeconds(120));
            long allDoneAt = System.nanoTime();

            assertThat(watcher.doubleCompletions()).as("jobs completed twice").isZero();
            assertThat(watcher.dead()).as("dead jobs").isZero();
            assertThat(watcher.reRuns()).as("jobs re-run after the kill").isGreaterThan(0).isLessThanOrEqualTo(16);
            double recovery = Math.max(0, watcher.lastTakeBackNanos() - killedAt) / 1e9;
            assertThat(recovery).as("seconds until the killed consumer's jobs were taken back").isLessThan(10);
            Figures.record("SIGKILL one of two consumers (8 workers each) during 2,000 `sleep` jobs of 25 ms",
                    "accepted " + jobs + ", completed " + watcher.completedJobs() + ", lost " + (jobs
                            - watcher.completedJobs()) + ", completed twice " + watcher.doubleCompletions()
                            + ", re-run " + watcher.reRuns() + ", orphans back in line " + String.format("%.1f s",
                            recovery) + " after the kill, run finished " + String.format("%.1f s",
                            (allDoneAt - killedAt) / 1e9) + " after it");
        }
    }

    @Test
    void redisStoppedMidRunLosesNoAcceptedJob() {
        int jobs = 400;
        try (LiveStack stack = LiveStack.start("redis-outage", 1, "--appendonly", "yes", "--appendfsync",
                "everysec"); JobWatcher watcher = new JobWatcher(stack)) {
            submitSleepJobs(stack, watcher.inbox(), jobs, 20);
            watcher.awaitCompleted(50, Duration.ofSeconds(60));

            long stoppedAt = System.nanoTime();
            stack.redis().stop();
            Rest.Answer refused = Rest.post(stack.producer() + "/api/jobs", "{\"type\":\"echo\"}");
            long answeredMs = (System.nanoTime() - stoppedAt) / 1_000_000;
            assertThat(refused.status()).isEqualTo(503);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(Rest.post(stack.producer() + "/api/jobs", "{\"type\":\"echo\"}").status())
                            .isEqualTo(503));
            stack.redis().restart();
            long restartedAt = System.nanoTime();

            watcher.awaitCompleted(jobs, Duration.ofSeconds(120));
            long doneAt = System.nanoTime();
            assertThat(watcher.socket().isOpen()).as("the browser's socket survived the outage").isTrue();
            assertThat(watcher.doubleCompletions()).isZero();
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                    Rest.post(stack.producer() + "/api/jobs", "{\"type\":\"echo\"}").status()).isEqualTo(202));
            Figures.record("Redis stopped for ~2 s (AOF everysec) during 400 `sleep` jobs of 20 ms",
                    "accepted " + jobs + ", completed " + watcher.completedJobs() + ", lost " + (jobs
                            - watcher.completedJobs()) + ", producer answered 503 in " + answeredMs
                            + " ms while down, events resumed on the same socket, run finished "
                            + String.format("%.1f s", (doneAt - restartedAt) / 1e9) + " after the restart");
        }
    }

    @Test
    void consumerStoppedUnderLoadFinishesItsJobsWithinTheGrace() {
        int jobs = 200;
        try (LiveStack stack = LiveStack.start("sigterm", 1); JobWatcher watcher = new JobWatcher(stack)) {
            submitSleepJobs(stack, watcher.inbox(), jobs, 200);
            watcher.awaitCompleted(16, Duration.ofSeconds(60));

            Duration stopTook = stack.consumers().get(0).terminate(Duration.ofSeconds(30));
            assertThat(stack.consumers().get(0).isAlive()).isFalse();
            assertThat(stopTook).as("stop within the 10 s grace").isLessThan(Duration.ofSeconds(12));
            int doneBeforeRestart = watcher.completedJobs();
            stack.startConsumer();

            watcher.awaitCompleted(jobs, Duration.ofSeconds(120));
            assertThat(watcher.doubleCompletions()).isZero();
            assertThat(watcher.dead()).isZero();
            Figures.record("SIGTERM the only consumer during 200 `sleep` jobs of 200 ms, then start another",
                    "accepted " + jobs + ", completed " + watcher.completedJobs() + ", lost " + (jobs
                            - watcher.completedJobs()) + ", stop took " + stopTook.toMillis() + " ms, "
                            + doneBeforeRestart + " done before the stop, re-run " + watcher.reRuns());
        }
    }

    @Test
    void jobsStillRunningWhenTheGraceEndsAreHandedBackUncounted() {
        try (LiveStack stack = LiveStack.start("hand-back", 0); JobWatcher watcher = new JobWatcher(stack)) {
            ServiceProcess hasty = stack.startConsumer("livequeue.consumer.shutdown-grace=1s",
                    "livequeue.consumer.workers=2", "quarkus.redis.blocking.max-pool-size=4");
            submitSleepJobs(stack, watcher.inbox(), 2, 4000);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(Rest.get(stack.producer()
                    + "/api/queues").body().path("normal").path("active").asInt()).isEqualTo(2));

            Duration stopTook = hasty.terminate(Duration.ofSeconds(20));
            assertThat(stopTook).as("stopped after the 1 s grace, not after the 4 s jobs")
                    .isLessThan(Duration.ofMillis(3500));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Rest.get(stack.producer()
                    + "/api/queues").body().path("normal").path("waiting").asInt()).isEqualTo(2));

            stack.startConsumer();
            watcher.awaitCompleted(2, Duration.ofSeconds(30));
            assertThat(watcher.reRuns()).as("the handed-back attempts were not counted").isZero();
            assertThat(watcher.dead()).isZero();
        }
    }

    @Test
    void deadJobRetriedByRestCompletesOnceItsHandlerSucceeds() {
        try (LiveStack stack = LiveStack.start("revive", 0); JobWatcher watcher = new JobWatcher(stack)) {
            var impatient = stack.startConsumer("livequeue.consumer.handler-timeouts.sleep=300ms");
            String id = Rest.post(stack.producer() + "/api/jobs", "{\"type\":\"sleep\",\"payload\":{\"ms\":1500},"
                    + "\"maxAttempts\":2,\"replyTo\":\"" + watcher.inbox() + "\"}").body().path("id").asText();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    Rest.get(stack.producer() + "/api/jobs/" + id).body().path("status").asText()).isEqualTo("dead"));
            var dead = Rest.get(stack.producer() + "/api/jobs/" + id).body();
            assertThat(dead.path("attempts").asInt()).isEqualTo(2);
            assertThat(dead.path("errors").size()).isEqualTo(2);
            assertThat(dead.path("error").asText()).contains("timed out after 300 ms");
            assertThat(Rest.asOperator("GET", stack.producer() + "/api/dead").body().path("jobs").get(0).path("id")
                    .asText()).isEqualTo(id);

            impatient.terminate(Duration.ofSeconds(20));
            stack.startConsumer();
            assertThat(Rest.asOperator("POST", stack.producer() + "/api/dead/" + id + "/retry").status())
                    .isEqualTo(202);

            watcher.awaitCompleted(1, Duration.ofSeconds(30));
            var completed = Rest.get(stack.producer() + "/api/jobs/" + id).body();
            assertThat(completed.path("status").asText()).isEqualTo("completed");
            assertThat(completed.path("result").path("slept").asInt()).isEqualTo(1500);
            assertThat(Rest.get(stack.producer() + "/api/queues").body().path("normal").path("dead").asInt()).isZero();
        }
    }

    private static void submitSleepJobs(LiveStack stack, String inbox, int jobs, int ms) {
        for (int start = 0; start < jobs; start += 1000) {
            StringBuilder batch = new StringBuilder("{\"jobs\":[");
            for (int i = start; i < Math.min(jobs, start + 1000); i++) {
                batch.append(i == start ? "" : ",").append("{\"type\":\"sleep\",\"payload\":{\"ms\":").append(ms)
                        .append("},\"replyTo\":\"").append(inbox).append("\"}");
            }
            Rest.Answer answer = Rest.post(stack.producer() + "/api/jobs/batch", batch.append("]}").toString());
            assertThat(answer.status()).as(answer.body().toString()).isEqualTo(202);
        }
    }
}
