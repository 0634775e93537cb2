package io.livequeue.core.schedule;

import io.livequeue.core.Ids;
import io.livequeue.core.Priority;
import io.livequeue.core.QueueNames;
import io.livequeue.core.rdb.NewJob;
import java.time.Duration;

/**
 * The job a schedule makes at each tick, as the producer validated and normalised it (the body of a submit, its
 * queue resolved by routing): every tick's job is the same but for its id. {@code payload} is raw JSON text or null,
 * kept as text so that it passes through exactly as sent; {@code ttl} (ms, or null) is each job's deadline after it is
 * stored.
 */
public record JobTemplate(String type, String queue, String priority, int maxAttempts, String payload, String replyTo,
        Long ttl) {

    public JobTemplate {
        if (!Ids.isJobType(type) || !QueueNames.isValid(queue) || Priority.fromWireName(priority).isEmpty()
                || maxAttempts < 1 || (replyTo != null && !Ids.isInboxId(replyTo)) || (ttl != null && ttl < 1)) {
            throw new IllegalArgumentException("not a valid job template: " + type + " in " + queue);
        }
    }

    /** A new job of this template, with an id of its own. */
    public NewJob newJob() {
        NewJob job = new NewJob(Ids.newJobId(queue), type, Priority.fromWireName(priority).orElseThrow(), maxAttempts,
                payload, replyTo);
        return ttl == null ? job : job.withExpiresAt(NewJob.When.after(Duration.ofMillis(ttl)));
    }
}
