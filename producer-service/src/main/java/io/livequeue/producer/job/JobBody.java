package io.livequeue.producer.job;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A submit's body, read and checked by {@link JobBodyReader} straight from the request's bytes (never held whole as
 * text): the valid jobs it holds, all for one queue.
 */
public sealed interface JobBody {

    JobRequestParser.Parsed parsed();

    /** The body of {@code POST /api/jobs}. */
    @Schema(type = SchemaType.OBJECT, description = "A job: {\"type\", \"payload\"?, \"priority\"?, \"maxAttempts\"?, "
            + "\"replyTo\"?, \"queue\"?}")
    record One(JobRequestParser.Parsed parsed) implements JobBody {
    }

    /** The body of {@code POST /api/jobs/batch}. */
    @Schema(type = SchemaType.OBJECT, description = "A batch: {\"jobs\": [job, …], \"queue\"?}")
    record Batch(JobRequestParser.Parsed parsed) implements JobBody {
    }
}
