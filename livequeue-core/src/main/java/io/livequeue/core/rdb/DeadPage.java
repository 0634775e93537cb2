package io.livequeue.core.rdb;

import io.livequeue.core.Job;
import java.util.List;

/** A page of the dead-letter sets: {@code total} dead jobs in all, {@code jobs} the requested slice. */
public record DeadPage(long total, List<Job> jobs) {
}
