package io.livequeue.bench;

import io.livequeue.core.EventMessage;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@code --mode scheduled}: how punctually delayed jobs start. Echo jobs are POSTed to the producer at a fixed rate
 * (open loop: what is due is sent whatever the answers so far, up to a cap of requests in flight), each with
 * {@code "delay": lead}, so they come due at that same rate, a lead after they were sent. The bench's own
 * subscription to the events channel ({@link EventTap}) gives each job's due time (its {@code scheduled} event's
 * {@code runAt}) and its start (its first {@code active} envelope's {@code startedAt}, stamped by claim.lua as a
 * worker takes it); lateness is the difference ({@link DueJobs}), both on the Redis clock, so the bench's own clock
 * and the pub/sub hop do not enter it. A job that started before its due time is counted as early: there must be
 * none.
 */
final class ScheduledRun {

    private static final Duration NO_CONSUMER_AFTER = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final BenchOptions options;
    private final HttpClient http;
    private final DueJobs due;
    private final String pad;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong notScheduled = new AtomicLong();
    private final AtomicLong wrong = new AtomicLong();
    private final AtomicLongArray answerNanos;
    private volatile String refusal;

    ScheduledRun(Vertx vertx, BenchOptions options) {
        this.vertx = vertx;
        this.options = options;
        this.http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(options.producer().getHost())
                .setDefaultPort(options.producer().getPort()).setMaxPoolSize(options.inFlight()).setKeepAlive(true));
        this.due = new DueJobs(options.jobs(), options.lead().toMillis());
        this.pad = "x".repeat(Math.max(0, options.payloadBytes() - 20));
        this.answerNanos = new AtomicLongArray(options.jobs());
    }

    String run() throws Exception {
        long deadline = System.nanoTime() + options.timeout().toNanos();
        String lost;
        try (DirectRedis redis = new DirectRedis(vertx, options);
                EventTap tap = EventTap.open(vertx, options, redis.keys().events())) {
            redis.awaitEmptyQueue(NO_CONSUMER_AFTER, deadline);
            ConsumerProbe.check(redis, tap, NO_CONSUMER_AFTER);
            tap.listen(this::onEvent);
            long start = System.nanoTime();
            long timer = vertx.setPeriodic(5, id -> sendDue(start));
            try {
                while (System.nanoTime() < deadline && refusal == null && tap.lost() == null
                        && !(next.get() >= options.jobs() && inFlight.get() == 0
                        && due.endedAccepted() >= accepted.get())) {
                    TimeUnit.MILLISECONDS.sleep(20); // the load runs on Vert.x threads; this one waits for the end
                }
            } finally {
                vertx.cancelTimer(timer);
            }
            lost = tap.lost();
        }
        if (refusal != null) {
            throw new StackNotReady(refusal);
        }
        return report(lost);
    }

    /** Sends every job the rate says is due by now, as far as the cap of requests in flight allows. */
    private void sendDue(long start) {
        long dueNow = Math.min(options.jobs(), (System.nanoTime() - start) * options.rate() / 1_000_000_000L);
        while (next.get() < dueNow && inFlight.get() < options.inFlight() && refusal == null) {
            send(next.getAndIncrement());
        }
    }

    private void send(int n) {
        String body = "{\"type\":\"echo\",\"payload\":{\"i\":" + n + ",\"pad\":\"" + pad + "\"},\"delay\":"
                + options.lead().toMillis() + "}";
        inFlight.incrementAndGet();
        long sent = System.nanoTime();
        http.request(HttpMethod.POST, "/api/jobs")
                .compose(request -> {
                    request.putHeader("Content-Type", "application/json");
                    if (Bench.AUTHORIZATION != null) {
                        request.putHeader("Authorization", Bench.AUTHORIZATION);
                    }
                    return request.send(body);
                })
                .compose(response -> response.body().map(answer -> {
                    answered(n, response.statusCode(), answer.toString(), sent);
                    return null;
                }))
                .onComplete(done -> {
                    if (done.failed()) {
                        rejected.incrementAndGet();
                    }
                    inFlight.decrementAndGet();
                });
    }

    private void answered(int n, int status, String answer, long sent) {
        if (status != 202) {
            rejected.incrementAndGet();
            if (status >= 400 && status < 500 && status != 429 && refusal == null) {
                refusal = "the producer refused a delayed job (HTTP " + status + "): " + answer
                        + " (a producer from before delayed jobs refuses the field \"delay\")";
            }
            return;
        }
        answerNanos.set(n, System.nanoTime() - sent);
        String id = stringAfter(answer, "\"id\":\"");
        if (id == null) {
            wrong.incrementAndGet();
            return;
        }
        if (!answer.contains("\"status\":\"scheduled\"")) {
            notScheduled.incrementAndGet();
        }
        String runAt = stringAfter(answer, "\"runAt\":\"");
        if (runAt != null) {
            try {
                due.due(id, Instant.parse(runAt).toEpochMilli());
            } catch (DateTimeParseException e) {
                wrong.incrementAndGet();
            }
        }
        due.accepted(id);
        accepted.incrementAndGet();
    }

    private void onEvent(EventMessage event, long nanos) {
        switch (event.status()) {
            case SCHEDULED -> {
                long runAt = DueJobs.runAtOf(event.eventJson());
                if (runAt != DueJobs.UNSET) {
                    due.due(event.jobId(), runAt);
                }
            }
            case ACTIVE -> due.started(event.jobId(), event.createdAt(), event.startedAt());
            case COMPLETED -> due.ended(event.jobId());
            case FAILED, DEAD, CANCELLED -> {
                due.failed(event.jobId()); // an echo job never fails: wrong, if it is one of the run's
                if (event.status().isFinal()) {
                    due.ended(event.jobId());
                }
            }
            default -> {
            }
        }
    }

    private String report(String tapLost) throws Exception {
        DueJobs.Lateness lateness = due.lateness();
        int sent = Math.min(next.get(), options.jobs());
        long[] answers = new long[sent];
        int a = 0;
        for (int i = 0; i < sent; i++) {
            if (answerNanos.get(i) > 0) {
                answers[a++] = answerNanos.get(i);
            }
        }
        long[] lateNanos = new long[lateness.millis().length];
        for (int i = 0; i < lateNanos.length; i++) {
            lateNanos[i] = lateness.millis()[i] * 1_000_000L;
        }
        ModeReport report = new ModeReport(options.mode().wireName, options.describe())
                .count("jobs", "jobs", options.jobs())
                .count("sent", "sent", sent)
                .count("accepted", "accepted", lateness.accepted())
                .count("rejected", "rejected", rejected.get())
                .count("notScheduled", "not scheduled", notScheduled.get())
                .count("started", "started", lateness.started())
                .count("completed", "completed", lateness.completed())
                .count("lost", "lost", lateness.accepted() - lateness.completed())
                .count("early", "**early**", lateness.early())
                .count("duplicated", "duplicated", lateness.duplicated())
                .count("wrong", "wrong", wrong.get() + lateness.failed())
                .timing("lateness", "**lateness**: due (`runAt`) → started (`startedAt`), Redis clock", lateNanos)
                .timing("submit", "POST sent → 202 received", Arrays.copyOf(answers, a))
                .note("Lateness is the `active` event's `startedAt` (claim.lua stamps it as a worker takes the job) "
                        + "minus the job's due time (`runAt` of its 202 answer or its `scheduled` event), both epoch "
                        + "milliseconds on the Redis clock: whole milliseconds, and neither the bench's clock nor the "
                        + "pub/sub hop enters it. Early: jobs that started before their due time (must be 0).");
        if (sent < options.jobs()) {
            report.note((options.jobs() - sent) + " jobs were not sent: the time-out (" + options.timeout().toSeconds()
                    + " s) passed first.");
        }
        if (notScheduled.get() > 0) {
            report.note(notScheduled.get() + " jobs were answered with a status other than `scheduled`.");
        }
        if (lateness.dueFromLead() > 0) {
            report.note(lateness.dueFromLead() + " jobs had no `runAt` in their 202 or a `scheduled` event: their due "
                    + "time is taken as `createdAt` + the lead.");
        }
        if (lateness.started() < lateness.completed()) {
            report.note((lateness.completed() - lateness.started()) + " jobs completed without an `active` event "
                    + "seen: no lateness for them.");
        }
        if (tapLost != null && !tapLost.equals("closed by the bench")) {
            report.note("The events subscription ended early (" + tapLost + "): later events were not seen.");
        }
        return report.write(options.out());
    }

    /** The JSON string value that follows {@code prefix}, or null. */
    private static String stringAfter(String text, String prefix) {
        int start = text.indexOf(prefix);
        if (start < 0) {
            return null;
        }
        start += prefix.length();
        int end = text.indexOf('"', start);
        return end < 0 ? null : text.substring(start, end);
    }
}
