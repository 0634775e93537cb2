package io.livequeue.gateway.dashboard;

import io.livequeue.core.Priority;
import io.livequeue.core.rdb.ConsumersView;
import io.livequeue.core.rdb.Inspector;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.DeadLetters;
import io.livequeue.core.rdb.QueueCounts;
import io.livequeue.core.rdb.QueueState;
import io.livequeue.core.rdb.Queues;
import io.livequeue.core.rdb.Schedules;
import io.livequeue.gateway.dashboard.DashboardMessages.DeadJobView;
import io.livequeue.gateway.dashboard.DashboardMessages.DeadView;
import io.livequeue.gateway.dashboard.DashboardMessages.NamedQueueView;
import io.livequeue.gateway.dashboard.DashboardMessages.QueueView;
import io.livequeue.gateway.dashboard.DashboardMessages.ScheduleView;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the dashboard shows that lives in Redis, read through the storage layer ({@link Queues} for the queues,
 * their counts and retries, {@link DeadLetters} for dead jobs, {@link Inspector} for consumers, scheduled counts and
 * documents, {@link Schedules} for the recurring schedules): the registry, then a few pipelined reads per queue sent at once, and the dead jobs' documents only when
 * the caller needs them, since they rarely change from one second to the next.
 */
@Singleton
public class DashboardReader {

    /** Dead jobs per page of the list. */
    static final int DEAD_PAGE = 20;
    /** Active jobs looked at for the consumers' in-flight lists. */
    static final int MAX_IN_FLIGHT = 500;

    /**
     * One reading of the queues: per priority across queues, and per queue; {@code deadIds} are the newest dead jobs,
     * the first page of the list.
     */
    record Reading(Map<String, QueueView> queues, List<NamedQueueView> named, long deadTotal,
            ConsumersView consumers, List<String> deadIds, List<ScheduleView> schedules) {
    }

    private final JobStore store;
    private final Queues queues;
    private final DeadLetters dead;
    private final Inspector inspector;
    private final Schedules schedules;

    DashboardReader(JobStore store, Queues queues, DeadLetters dead, Inspector inspector, Schedules schedules) {
        this.schedules = schedules;
        this.store = store;
        this.queues = queues;
        this.dead = dead;
        this.inspector = inspector;
    }

    Uni<Reading> read() {
        return queues.names().flatMap(names -> Uni.combine().all().unis(queues.states(names),
                inspector.consumers(names, MAX_IN_FLIGHT), dead.newestIds(names, DEAD_PAGE),
                inspector.scheduled(names), schedules()).asTuple().map(t -> {
                    Map<String, QueueView> byPriority = new LinkedHashMap<>();
                    long deadTotal = 0;
                    for (Priority p : Priority.values()) {
                        long waiting = 0;
                        long active = 0;
                        long deadCount = 0;
                        long retrying = 0;
                        for (QueueState state : t.getItem1()) {
                            QueueCounts c = state.counts().get(p);
                            waiting += c.waiting();
                            active += c.active();
                            deadCount += c.dead();
                            retrying += state.retryingByPriority().get(p);
                        }
                        byPriority.put(p.wireName(), new QueueView(waiting, active, retrying, deadCount));
                        deadTotal += deadCount;
                    }
                    Map<String, Long> scheduled = t.getItem4();
                    List<NamedQueueView> named = t.getItem1().stream().map(q -> new NamedQueueView(q.name(),
                            q.waiting(), q.active(), q.retrying(), q.dead(), scheduled.getOrDefault(q.name(), 0L),
                            q.paused(), q.concurrency(), q.rate(), q.periodMillis(), q.startedInWindow())).toList();
                    return new Reading(byPriority, named, deadTotal, t.getItem2(), t.getItem3(), t.getItem5());
                }));
    }

    /**
     * The recurring schedules for the dashboard's "Schedules" table, next run first (paused ones last); an empty list
     * when there are none.
     */
    Uni<List<ScheduleView>> schedules() {
        return schedules.list().map(all -> all.stream()
                .map(s -> new ScheduleView(s.name(), s.spec().cron(), s.spec().every(), s.spec().zone(), s.next(),
                        s.paused(), s.lastRun()))
                .sorted(java.util.Comparator.comparing(ScheduleView::nextRun,
                        java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder())))
                .toList());
    }

    /** The first page of the dead list for a reading: the documents of its dead ids. */
    Uni<DeadView> firstDeadPage(Reading reading) {
        if (reading.deadIds().isEmpty()) {
            return Uni.createFrom().item(new DeadView(reading.deadTotal(), 0, DEAD_PAGE, List.of()));
        }
        return store.findAll(reading.deadIds()).map(jobs -> new DeadView(reading.deadTotal(), 0, DEAD_PAGE,
                jobs.stream().map(DeadJobView::of).toList()));
    }

    /** Any page of the dead list, for an operator paging back. */
    Uni<DeadView> deadPage(int offset) {
        return queues.names().flatMap(names -> dead.page(names, offset, DEAD_PAGE)).map(page -> new DeadView(page.total(), offset, DEAD_PAGE,
                page.jobs().stream().map(DeadJobView::of).toList()));
    }

    Uni<Optional<Map<String, String>>> document(String jobId) {
        return inspector.document(jobId);
    }
}
