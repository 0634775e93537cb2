package io.livequeue.gateway.dashboard;

import io.livequeue.core.Priority;
import io.livequeue.core.rdb.ConsumersView;
import io.livequeue.core.rdb.Inspector;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.QueueCounts;
import io.livequeue.gateway.dashboard.DashboardMessages.DeadJobView;
import io.livequeue.gateway.dashboard.DashboardMessages.DeadView;
import io.livequeue.gateway.dashboard.DashboardMessages.QueueView;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the dashboard shows that lives in Redis, read through the storage layer ({@link JobStore} for counts and
 * job documents, {@link Inspector} for the operator-only views): four pipelined reads sent at once, and the dead
 * jobs' documents only when the caller needs them, since they rarely change from one second to the next.
 */
@Singleton
public class DashboardReader {

    /** Dead jobs per page of the list. */
    static final int DEAD_PAGE = 20;
    /** Active jobs looked at for the consumers' in-flight lists. */
    static final int MAX_IN_FLIGHT = 500;

    /** One reading of the queues; {@code deadIds} are the newest dead jobs, the first page of the list. */
    record Reading(Map<String, QueueView> queues, long deadTotal, ConsumersView consumers, List<String> deadIds) {
    }

    private final JobStore store;
    private final Inspector inspector;

    DashboardReader(JobStore store, Inspector inspector) {
        this.store = store;
        this.inspector = inspector;
    }

    Uni<Reading> read() {
        return Uni.combine().all().unis(store.counts(), inspector.retrying(), inspector.consumers(MAX_IN_FLIGHT),
                inspector.deadIds(DEAD_PAGE)).asTuple().map(t -> {
                    Map<String, QueueView> queues = new LinkedHashMap<>();
                    long dead = 0;
                    for (Priority p : Priority.values()) {
                        QueueCounts c = t.getItem1().get(p);
                        queues.put(p.wireName(), new QueueView(c.waiting(), c.active(), t.getItem2().get(p), c.dead()));
                        dead += c.dead();
                    }
                    return new Reading(queues, dead, t.getItem3(), t.getItem4());
                });
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
        return store.deadJobs(offset, DEAD_PAGE).map(page -> new DeadView(page.total(), offset, DEAD_PAGE,
                page.jobs().stream().map(DeadJobView::of).toList()));
    }

    Uni<Optional<Map<String, String>>> document(String jobId) {
        return inspector.document(jobId);
    }
}
