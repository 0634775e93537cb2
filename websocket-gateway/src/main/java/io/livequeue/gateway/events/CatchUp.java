package io.livequeue.gateway.events;

import io.livequeue.core.EventMessage;
import io.livequeue.core.Ids;
import io.livequeue.core.Job;
import io.livequeue.core.rdb.InboxLog;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.gateway.socket.ClientRegistry;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Closes the gap a subscription leaves while it is down (a Redis restart, a failover, a slot move) or before it is
 * made (a queue this gateway did not follow yet): pub/sub keeps nothing for an absent subscriber. When a queue's
 * subscription is confirmed, the current state of every job of that queue this gateway's clients watch or have news
 * of is read back from the jobs themselves; and the queue's inbox log, from where this gateway left off, names the
 * jobs sent meanwhile to inboxes connected here, which are read back too. What is read back is routed to the clients
 * only (the version check drops what a client already has): these are states, not news, so the dashboard's
 * throughput does not count them.
 */
@Singleton
public class CatchUp {

    private static final Logger LOG = Logger.getLogger(CatchUp.class);
    private static final int CHUNK = 500;
    /** At most this many log entries (each one enqueue call's jobs) are read per catch-up, oldest first. */
    private static final int MAX_LOG_ENTRIES = 20_000;

    private final JobStore store;
    private final InboxLog inboxLog;
    private final ClientRegistry registry;

    CatchUp(JobStore store, InboxLog inboxLog, ClientRegistry registry) {
        this.store = store;
        this.inboxLog = inboxLog;
        this.registry = registry;
    }

    /** Catches up {@code queue} from {@code sinceMillis} (Redis clock; the inbox log is read from there). */
    void queue(String queue, long sinceMillis) {
        if (registry.connections() == 0) {
            return; // nobody here can have missed anything
        }
        List<String> known = new ArrayList<>();
        for (String id : registry.knownJobs()) {
            if (Ids.queueOf(id).equals(queue)) {
                known.add(id);
            }
        }
        route(known);
        inboxLog.since(queue, sinceMillis, MAX_LOG_ENTRIES).subscribe().with(entries -> {
            Set<String> already = Set.copyOf(known);
            List<String> sent = entries.stream().filter(e -> registry.hasInbox(e.inbox()))
                    .map(InboxLog.Entry::jobId).filter(id -> Ids.isJobId(id) && !already.contains(id)).distinct()
                    .toList();
            route(sent);
            LOG.infof("caught up queue %s: %d jobs watched here, %d sent to inboxes here since %d", queue,
                    known.size(), sent.size(), sinceMillis);
        }, e -> LOG.warnf("catch-up of queue %s from its inbox log failed: %s", queue, e.getMessage()));
    }

    private void route(List<String> ids) {
        for (int from = 0; from < ids.size(); from += CHUNK) {
            store.findAll(ids.subList(from, Math.min(ids.size(), from + CHUNK))).subscribe().with(
                    found -> found.forEach(this::route),
                    e -> LOG.warnf("catch-up failed: %s", e.getMessage()));
        }
    }

    private void route(Job job) {
        registry.route(new EventMessage(job.version(), job.id(), job.status(), job.replyTo(), job.eventJson()));
    }
}
