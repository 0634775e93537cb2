package io.livequeue.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.livequeue.testing.Resp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Named queues with real processes: pools of consumers that run disjoint job types, weighted and strict queue orders
 * under saturation, and flow control (pause, a concurrency limit, a rate limit) enforced by Redis across two consumers.
 * Jobs are submitted over REST; what happened is read from the jobs themselves in Redis (which consumer ran each, and
 * when it started, on the Redis clock).
 */
class NamedQueuesIT {

    private static final Duration DRAINED = Duration.ofSeconds(60);
    private static final String SMS = "{\"to\":\"+4915112345678\",\"message\":\"hello\"}";

    @Test
    void consumersOfDisjointTypesEachRunOnlyTheJobsTheyCan() {
        try (LiveStack stack = LiveStack.startWith("queues-pools", List.of("livequeue.queues.routes.sms=sms"))) {
            stack.startConsumer("livequeue.consumer.id=pool-a", "livequeue.consumer.handlers=echo,sleep");
            stack.startConsumer("livequeue.consumer.id=pool-b", "livequeue.consumer.handlers=sms",
                    "livequeue.consumer.queues=sms");
            Map<String, String> typeOf = new HashMap<>();
            for (int batch = 0; batch < 30; batch++) {
                String type = List.of("echo", "sleep", "sms").get(batch % 3);
                String payload = switch (type) {
                    case "sms" -> SMS;
                    case "sleep" -> "{\"ms\":1}";
                    default -> "{\"n\":" + batch + "}";
                };
                StringBuilder jobs = new StringBuilder("{\"jobs\":[");
                for (int i = 0; i < 100; i++) {
                    jobs.append(i == 0 ? "" : ",").append("{\"type\":\"").append(type).append("\",\"payload\":")
                            .append(payload).append('}');
                }
                Rest.Answer answer = Rest.post(stack.producer() + "/api/jobs/batch", jobs.append("]}").toString());
                assertThat(answer.status()).as(answer.body().toString()).isEqualTo(202);
                answer.body().path("jobs").forEach(job -> typeOf.put(job.path("id").asText(), type));
            }
            assertThat(typeOf).hasSize(3000);

            Map<String, Map<String, String>> jobs = awaitFinal(stack, typeOf.keySet());

            Map<String, Long> byStatus = jobs.values().stream().collect(Collectors.groupingBy(j -> j.get("status"),
                    Collectors.counting()));
            assertThat(byStatus).as("statuses").isEqualTo(Map.of("completed", 3000L));
            jobs.forEach((id, job) -> {
                assertThat(job.get("consumer")).as("consumer of %s job %s", typeOf.get(id), id)
                        .isEqualTo(typeOf.get(id).equals("sms") ? "pool-b" : "pool-a");
                assertThat(job.get("attempts")).as("attempts of %s", id).isEqualTo("1");
            });
            assertThat(typeOf.keySet().stream().filter(id -> typeOf.get(id).equals("sms")))
                    .allMatch(id -> id.startsWith("sms~"));
            Figures.record("Named queues: consumer A (echo, sleep; default) and B (sms; queue sms), 3,000 mixed jobs",
                    "completed 3,000, dead 0, lost 0, every job on the consumer with its handler");
        }
    }

    @Test
    void weightedQueuesShareClaimsSixThreeOneAndStrictQueuesNeverServeALowerOneFirst() {
        try (LiveStack stack = LiveStack.startWith("queues-order", List.of())) {
            List<String> weighted = new ArrayList<>();
            for (String queue : List.of("w-six", "w-three", "w-one")) {
                weighted.addAll(submit(stack, queue, 2000));
            }
            List<String> strictHigh = submit(stack, "s-high", 500);
            List<String> strictLow = submit(stack, "s-low", 500);

            // saturated from the first claim: the jobs wait before the consumers start
            stack.startConsumer("livequeue.consumer.id=weighted", "livequeue.consumer.queues=w-six:6,w-three:3,w-one:1");
            stack.startConsumer("livequeue.consumer.id=strict", "livequeue.consumer.queues=s-high,s-low");

            Map<String, Map<String, String>> done = awaitFinal(stack, weighted);
            List<String> first = done.keySet().stream()
                    .sorted(Comparator.comparingLong((String id) -> Long.parseLong(done.get(id).get("startedAt")))
                            .thenComparing(Function.identity()))
                    .limit(3000).toList();
            Map<String, Long> shares = first.stream().collect(Collectors.groupingBy(id -> id.substring(0,
                    id.indexOf('~')), Collectors.counting()));
            double six = shares.getOrDefault("w-six", 0L) / 30.0;
            double three = shares.getOrDefault("w-three", 0L) / 30.0;
            double one = shares.getOrDefault("w-one", 0L) / 30.0;
            Figures.record("Weighted queues 6:3:1, first 3,000 claims of 6,000 waiting jobs",
                    String.format("%.1f%% / %.1f%% / %.1f%%", six, three, one));
            assertThat(six).as("share of w-six, %s", shares).isBetween(57.0, 63.0);
            assertThat(three).as("share of w-three, %s", shares).isBetween(27.0, 33.0);
            assertThat(one).as("share of w-one, %s", shares).isBetween(7.0, 13.0);

            Map<String, Map<String, String>> high = awaitFinal(stack, strictHigh);
            Map<String, Map<String, String>> low = awaitFinal(stack, strictLow);
            long lastHigh = high.values().stream().mapToLong(j -> Long.parseLong(j.get("startedAt"))).max()
                    .orElseThrow();
            long firstLow = low.values().stream().mapToLong(j -> Long.parseLong(j.get("startedAt"))).min()
                    .orElseThrow();
            assertThat(firstLow).as("the first s-low start (after the last s-high start?)")
                    .isGreaterThanOrEqualTo(lastHigh);
        }
    }

    @Test
    void pauseConcurrencyAndRateLimitsHoldAcrossTwoConsumers() {
        try (LiveStack stack = LiveStack.startWith("queues-flow", List.of())) {
            int port = stack.redis().port();
            // the queues exist from their first job; their limits are set before the consumers run
            List<String> paused = submit(stack, "paused", 1000);
            operator(stack, "POST", "/api/queues/paused/pause", null);
            List<String> limited = new ArrayList<>(submit(stack, "limited", 1, "sleep", "{\"ms\":60}"));
            operator(stack, "PUT", "/api/queues/limited/limits", "{\"concurrency\":3}");
            limited.addAll(submit(stack, "limited", 99, "sleep", "{\"ms\":60}"));
            List<String> rated = new ArrayList<>(submit(stack, "rated", 1));
            operator(stack, "PUT", "/api/queues/rated/limits", "{\"rate\":50,\"period\":\"PT1S\"}");

            String queues = "livequeue.consumer.queues=paused,limited,rated";
            stack.startConsumer("livequeue.consumer.id=flow-1", queues, "livequeue.consumer.workers=16");
            stack.startConsumer("livequeue.consumer.id=flow-2", queues, "livequeue.consumer.workers=16");

            // concurrency: sampled throughout the run, never more than 3 active, and 3 reached
            AtomicLong mostActive = new AtomicLong();
            await().atMost(DRAINED).pollInterval(Duration.ofMillis(5)).until(() -> {
                List<Object> counts = Resp.callAll(port, List.of(
                        new String[] {"ZCARD", "livequeue:{q:limited}:active:high"},
                        new String[] {"ZCARD", "livequeue:{q:limited}:active:normal"},
                        new String[] {"ZCARD", "livequeue:{q:limited}:active:low"},
                        new String[] {"LLEN", "livequeue:{q:limited}:pending:normal"}));
                long active = (Long) counts.get(0) + (Long) counts.get(1) + (Long) counts.get(2);
                mostActive.accumulateAndGet(active, Math::max);
                return active == 0 && (Long) counts.get(3) == 0;
            });
            Map<String, Map<String, String>> limitedDone = awaitFinal(stack, limited);
            assertThat(limitedDone.values()).allMatch(j -> "completed".equals(j.get("status")));
            assertThat(mostActive.get()).as("most active jobs of the limited queue at once").isEqualTo(3);

            // pause: none of the 1,000 started while paused, all drained after resume
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() ->
                    Long.valueOf(1000).equals(Resp.call(port, "LLEN", "livequeue:{q:paused}:pending:normal")));
            operator(stack, "POST", "/api/queues/paused/resume", null);
            assertThat(awaitFinal(stack, paused).values()).allMatch(j -> "completed".equals(j.get("status")));

            // rate: 50 per second, from a backlog, with both consumers asking
            long callsBefore = scriptCalls(port);
            long start = System.nanoTime();
            rated.addAll(submit(stack, "rated", 699));
            Map<String, Map<String, String>> ratedDone = awaitFinal(stack, rated, Duration.ofSeconds(30));
            double seconds = (System.nanoTime() - start) / 1e9;
            long calls = scriptCalls(port) - callsBefore;
            List<Long> starts = ratedDone.values().stream().map(j -> Long.parseLong(j.get("startedAt"))).sorted()
                    .toList();
            long t0 = starts.get(1); // the first job started before the backlog was sent
            long inTenSeconds = starts.stream().filter(t -> t >= t0 && t < t0 + 10_000).count();
            Figures.record("Rate limit 50/s, 2 consumers x 16 workers, 700 jobs",
                    inTenSeconds + " starts in 10 s; " + calls + " script calls in " + String.format("%.1f", seconds)
                            + " s (" + Math.round(calls / seconds) + "/s, heartbeats and submits included)");
            assertThat(inTenSeconds).as("starts in the first 10 s").isBetween(475L, 525L);
            assertThat(calls / seconds).as("script calls per second while throttled").isLessThan(100);
        }
    }

    private static long scriptCalls(int port) {
        String stats = (String) Resp.call(port, "INFO", "commandstats");
        long calls = 0;
        for (String line : stats.split("\r\n")) {
            if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
                calls += Long.parseLong(line.replaceAll("^[^:]*:calls=(\\d+),.*", "$1"));
            }
        }
        return calls;
    }

    private static void operator(LiveStack stack, String method, String path, String json) {
        Rest.Answer answer = json == null ? Rest.asOperator(method, stack.producer() + path)
                : Rest.asOperator(method, stack.producer() + path, json);
        assertThat(answer.status()).as(method + " " + path + ": " + answer.body()).isEqualTo(200);
    }

    private static List<String> submit(LiveStack stack, String queue, int count) {
        return submit(stack, queue, count, "echo", "{\"n\":1}");
    }

    /** Submits {@code count} jobs to {@code queue} in batches of up to 1,000; returns their ids. */
    private static List<String> submit(LiveStack stack, String queue, int count, String type, String payload) {
        List<String> ids = new ArrayList<>();
        while (ids.size() < count) {
            int n = Math.min(1000, count - ids.size());
            StringBuilder jobs = new StringBuilder("{\"queue\":\"" + queue + "\",\"jobs\":[");
            for (int i = 0; i < n; i++) {
                jobs.append(i == 0 ? "" : ",").append("{\"type\":\"").append(type).append("\",\"payload\":")
                        .append(payload).append('}');
            }
            Rest.Answer answer = Rest.post(stack.producer() + "/api/jobs/batch", jobs.append("]}").toString());
            assertThat(answer.status()).as(answer.body().toString()).isEqualTo(202);
            for (JsonNode job : answer.body().path("jobs")) {
                ids.add(job.path("id").asText());
            }
        }
        return ids;
    }

    private static Map<String, Map<String, String>> awaitFinal(LiveStack stack, java.util.Collection<String> ids) {
        return awaitFinal(stack, ids, DRAINED);
    }

    /** Waits until every job is completed or dead; returns each job's status, consumer, attempts and startedAt. */
    private static Map<String, Map<String, String>> awaitFinal(LiveStack stack, java.util.Collection<String> ids,
            Duration within) {
        List<String> all = List.copyOf(ids);
        return await().atMost(within).pollInterval(Duration.ofMillis(200)).until(() -> read(stack, all),
                jobs -> jobs.size() == all.size() && jobs.values().stream()
                        .allMatch(j -> "completed".equals(j.get("status")) || "dead".equals(j.get("status"))));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, String>> read(LiveStack stack, List<String> ids) {
        List<String[]> commands = ids.stream().map(id -> new String[] {"HMGET", key(id), "status", "consumer",
                "attempts", "startedAt"}).toList();
        List<Object> replies = Resp.callAll(stack.redis().port(), commands);
        Map<String, Map<String, String>> jobs = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            List<Object> f = (List<Object>) replies.get(i);
            if (f.get(0) != null) {
                Map<String, String> job = new HashMap<>();
                job.put("status", (String) f.get(0));
                job.put("consumer", (String) f.get(1));
                job.put("attempts", (String) f.get(2));
                job.put("startedAt", f.get(3) == null ? "0" : (String) f.get(3));
                jobs.put(ids.get(i), job);
            }
        }
        return jobs;
    }

    /** A job's hash: its queue's tag comes from its id. */
    private static String key(String id) {
        int tilde = id.indexOf('~');
        return tilde < 0 ? "livequeue:{jobs}:job:" + id : "livequeue:{q:" + id.substring(0, tilde) + "}:job:" + id;
    }
}
