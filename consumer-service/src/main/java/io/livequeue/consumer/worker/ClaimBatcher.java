package io.livequeue.consumer.worker;

import io.livequeue.core.rdb.ClaimedJob;
import io.livequeue.core.rdb.Finished;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.Turn;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Lets the workers of a consumer share round trips (group commit): a worker hands in the outcome of the job it has
 * just run and asks for its next job; everything handed in while one call is in flight goes out together in the next
 * {@code claim.lua} call. An idle consumer still sends each request at once, so nothing waits that would not have;
 * a busy one records and claims as many jobs per round trip as it has workers, so the round trip stops bounding its
 * throughput and Redis runs one script per batch instead of one per job.
 */
@Singleton
class ClaimBatcher {

    /** One worker's share of a call: whether its outcome was recorded, the call's time, its next job or null. */
    record Reply(boolean recorded, long now, ClaimedJob next) {
    }

    private record Request(Finished outcome, boolean wantsJob, CompletableFuture<Reply> reply) {
    }

    private final JobStore store;
    private final ConsumerConfig config;
    private final Object lock = new Object();
    private List<Request> waiting = new ArrayList<>();
    private boolean inFlight;
    private volatile String consumerId;

    ClaimBatcher(JobStore store, ConsumerConfig config) {
        this.store = store;
        this.config = config;
    }

    void consumerId(String id) {
        this.consumerId = id;
    }

    /**
     * Records {@code outcome} (if not null) and claims a job (if {@code wantsJob}) in the next call. Each
     * subscription sends a new request, so a retried Uni asks again.
     */
    Uni<Reply> submit(Finished outcome, boolean wantsJob) {
        return Uni.createFrom().deferred(() -> {
            Request request = new Request(outcome, wantsJob, new CompletableFuture<>());
            boolean send;
            synchronized (lock) {
                waiting.add(request);
                send = !inFlight;
                inFlight = true;
            }
            if (send) {
                sendWaiting();
            }
            return Uni.createFrom().completionStage(request.reply());
        });
    }

    private void sendWaiting() {
        List<Request> batch;
        synchronized (lock) {
            batch = waiting;
            waiting = new ArrayList<>();
        }
        List<Finished> outcomes = new ArrayList<>(batch.size());
        int jobs = 0;
        for (Request request : batch) {
            if (request.outcome() != null) {
                outcomes.add(request.outcome());
            }
            jobs += request.wantsJob() ? 1 : 0;
        }
        Uni<Turn> call;
        try {
            call = store.finishAndClaim(outcomes, consumerId, config.lease(), config.retention(), jobs);
        } catch (RuntimeException e) {
            call = Uni.createFrom().failure(e);
        }
        call.subscribe().with(turn -> {
            sendNext();
            answer(batch, turn);
        }, failure -> {
            sendNext();
            batch.forEach(request -> request.reply().completeExceptionally(failure));
        });
    }

    /** Hands each request its share of the call, in the order they came. */
    private static void answer(List<Request> batch, Turn turn) {
        int outcome = 0;
        int job = 0;
        for (Request request : batch) {
            boolean recorded = request.outcome() != null && turn.recorded().get(outcome++);
            ClaimedJob next = request.wantsJob() && job < turn.claimed().size() ? turn.claimed().get(job++) : null;
            request.reply().complete(new Reply(recorded, turn.now(), next));
        }
    }

    private void sendNext() {
        boolean send;
        synchronized (lock) {
            send = !waiting.isEmpty();
            inFlight = send;
        }
        if (send) {
            sendWaiting();
        }
    }
}
