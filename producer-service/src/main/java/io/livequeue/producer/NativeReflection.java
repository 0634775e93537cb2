package io.livequeue.producer;

import io.livequeue.core.schedule.JobTemplate;
import io.livequeue.core.schedule.ScheduleSpec;
import io.livequeue.producer.dead.DeadJobResource;
import io.livequeue.producer.job.JobViews;
import io.livequeue.producer.problem.FieldError;
import io.livequeue.producer.problem.Problem;
import io.livequeue.producer.schedule.ScheduleView;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The types Jackson writes that Quarkus cannot see at build time, because the resources return a {@code Response}
 * built at run time rather than the type itself. A native executable only keeps reflection data for registered
 * types; without this list these bodies would be written as {@code {}}.
 */
@RegisterForReflection(targets = { JobViews.Submitted.class, JobViews.SubmittedBatch.class, JobViews.Detail.class,
        DeadJobResource.Page.class, Problem.class, FieldError.class, ScheduleView.class, ScheduleView.TemplateView.class,
        ScheduleSpec.class, JobTemplate.class })
final class NativeReflection {

    private NativeReflection() {
    }
}
