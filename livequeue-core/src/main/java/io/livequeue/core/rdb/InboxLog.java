package io.livequeue.core.rdb;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a queue's inbox log: the (job, inbox) pairs of jobs that became waiting recently, written by
 * {@code enqueue.lua} and {@code revive.lua} for jobs sent with a {@code replyTo}. Pub/sub keeps nothing for a
 * subscriber that is away; a gateway that was (a failover, a slot move, a queue it was not following yet) reads the
 * log from where it left off and catches up its own inboxes' jobs from their hashes. Jobs a client watches by token,
 * and inbox jobs a gateway had already heard of, need no log: the gateway knows their ids.
 */
public class InboxLog {

    /** A job sent with a {@code replyTo}, and that inbox. */
    public record Entry(String jobId, String inbox) {
    }

    private final Redis redis;
    private final Keyspace keyspace;
    private final Duration timeout;

    public InboxLog(Redis redis, Keyspace keyspace, Duration timeout) {
        this.redis = redis;
        this.keyspace = keyspace;
        this.timeout = timeout;
    }

    /** The entries of {@code queue} logged at or after {@code sinceMillis} (Redis clock), oldest first, at most {@code max}. */
    public Uni<List<Entry>> since(String queue, long sinceMillis, int max) {
        Request range = Request.cmd(Command.XRANGE).arg(keyspace.queue(queue).inboxes())
                .arg(Long.toString(Math.max(0, sinceMillis))).arg("+").arg("COUNT").arg(max);
        return Calls.guarded("inboxLog", timeout, redis.send(range)).map(reply -> {
            List<Entry> entries = new ArrayList<>();
            if (reply == null) {
                return entries;
            }
            for (Response message : reply) {
                Response fields = message.get(1);
                for (int i = 0; i + 1 < fields.size(); i += 2) {
                    if ("j".equals(fields.get(i).toString())) {
                        for (String pair : fields.get(i + 1).toString().split(",")) {
                            int space = pair.indexOf(' ');
                            if (space > 0) {
                                entries.add(new Entry(pair.substring(0, space), pair.substring(space + 1)));
                            }
                        }
                    }
                }
            }
            return entries;
        });
    }
}
