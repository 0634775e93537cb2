package io.livequeue.consumer.worker;

import io.livequeue.core.rdb.ClaimedJob;
import io.livequeue.core.rdb.Finished;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.Turn;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Lets the workers of a consumer share round trips (group commit): a worker hands in the outcome of the job it has
 * just run and asks for its next job; everything handed in while one round is in flight goes out together in the next,
 * one {@code claim.lua} call per queue involved (calls to several queues run at once). An idle consumer still sends
 * each request at once, so nothing waits that would not have; a busy one records and claims as many jobs per round
 * trip as it has workers, so the round trip stops bounding its throughput and Redis runs one script per batch instead
 * of one per job. Which queue each claim goes to is the {@link QueueSelector}'s choice among the queues the
 * {@link WorkBoard} holds open; claims a queue could not serve go to the next open queue in a further call.
 */
final class ClaimBatcher {

    /**
     * One worker's share of a round: whether its outcome was recorded, the call's time, its next job or null, and the
     * failure of its outcome's call when that failed although a next job came (the outcome must then be sent again).
     */
    record Reply(boolean recorded, long now, ClaimedJob next, Throwable outcomeFailure) {
    }

    private record Request(Finished outcome, boolean wantsJob, CompletableFuture<Reply> reply) {
    }

    /** What a round got from Redis: per outcome whether it was recorded (or the failure of its queue's call). */
    private static final class Round {
        final Map<Finished, Object> recorded = new HashMap<>();
        final List<ClaimedJob> claimed = new ArrayList<>();
        long now;
        Throwable failure;
        boolean anySucceeded;
    }

    private final JobStore store;
    private final ConsumerConfig config;
    private final QueueSelector selector;
    private final WorkBoard board;
    private final String consumerId;
    private final Object lock = new Object();
    private List<Request> waiting = new ArrayList<>();
    private boolean inFlight;

    ClaimBatcher(JobStore store, ConsumerConfig config, QueueSelector selector, WorkBoard board, String consumerId) {
        this.store = store;
        this.config = config;
        this.selector = selector;
        this.board = board;
        this.consumerId = consumerId;
    }

    /**
     * Records {@code outcome} (if not null) and claims a job (if {@code wantsJob}) in the next round. Each
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
        Map<String, List<Finished>> outcomes = new LinkedHashMap<>();
        int jobs = 0;
        for (Request request : batch) {
            if (request.outcome() != null) {
                outcomes.computeIfAbsent(request.outcome().job().queue(), q -> new ArrayList<>()).add(request.outcome());
            }
            jobs += request.wantsJob() ? 1 : 0;
        }
        Round round = new Round();
        call(round, outcomes, jobs, new LinkedHashSet<>()).subscribe().with(done -> {
            sendNext();
            answer(batch, round);
        }, failure -> {
            sendNext();
            batch.forEach(request -> request.reply().completeExceptionally(failure));
        });
    }

    /**
     * One call per queue that has outcomes or gets claims; then, while claims are missing and an open queue is left
     * that was not asked yet in this round, another call for them.
     */
    private Uni<Void> call(Round round, Map<String, List<Finished>> outcomes, int wanted, Set<String> asked) {
        Map<String, Integer> plan = selector.plan(wanted, queue -> !asked.contains(queue) && board.open(queue));
        Set<String> queues = new LinkedHashSet<>(outcomes.keySet());
        queues.addAll(plan.keySet());
        if (queues.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        asked.addAll(plan.keySet());
        List<Uni<Void>> calls = new ArrayList<>(queues.size());
        for (String queue : queues) {
            List<Finished> done = outcomes.getOrDefault(queue, List.of());
            int claims = plan.getOrDefault(queue, 0);
            long generation = board.generation(queue);
            Uni<Turn> turn;
            try {
                turn = store.finishAndClaim(queue, done, consumerId, config.lease(), config.retention(), claims);
            } catch (RuntimeException e) {
                turn = Uni.createFrom().failure(e);
            }
            calls.add(turn.onItemOrFailure().invoke((result, failure) -> {
                synchronized (round) {
                    if (failure != null) {
                        round.failure = failure;
                        done.forEach(f -> round.recorded.put(f, failure));
                        return;
                    }
                    round.anySucceeded = true;
                    round.now = Math.max(round.now, result.now());
                    for (int i = 0; i < done.size(); i++) {
                        round.recorded.put(done.get(i), result.recorded().get(i));
                    }
                    round.claimed.addAll(result.claimed());
                }
                board.claimed(queue, generation, claims, result.claimed().size(), result.throttle());
                if (claims > 0) {
                    board.due(queue, result.nextDue(), result.now());
                }
            }).onFailure().recoverWithNull().replaceWithVoid());
        }
        return Uni.join().all(calls).andCollectFailures().replaceWithVoid().flatMap(ignored -> {
            int missing;
            synchronized (round) {
                missing = wanted - round.claimed.size();
            }
            return missing > 0 && round.failure == null ? call(round, Map.of(), missing, asked)
                    : Uni.createFrom().voidItem();
        });
    }

    /**
     * Hands each request its share of the round, in the order they came. Every claimed job goes to a request (a job
     * claimed and handed to no one would sit out its lease): a request whose outcome failed still gets its next job,
     * and sends the outcome again.
     */
    private static void answer(List<Request> batch, Round round) {
        int job = 0;
        for (Request request : batch) {
            Object recorded = request.outcome() == null ? Boolean.FALSE : round.recorded.get(request.outcome());
            Throwable failure = recorded instanceof Throwable t ? t
                    : request.outcome() == null && !round.anySucceeded ? round.failure : null;
            ClaimedJob next = request.wantsJob() && job < round.claimed.size() ? round.claimed.get(job++) : null;
            if (failure != null && next == null) {
                request.reply().completeExceptionally(failure);
            } else {
                request.reply().complete(new Reply(Boolean.TRUE.equals(recorded), round.now, next,
                        request.outcome() == null ? null : failure));
            }
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
