package io.livequeue.producer.job;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A submit's body, read and checked by {@link JobBodyReader} straight from the request's bytes (never held whole as
 * text): the valid jobs it holds, all for one queue, and, for a request with an Idempotency-Key, the fingerprint of
 * its bytes (SHA-256, hex) that the key is bound to.
 */
public sealed interface JobBody {

    JobRequestParser.Parsed parsed();

    /** The SHA-256 of the body's bytes, hex; null when the request has no Idempotency-Key (nothing to bind). */
    String fingerprint();

    /** The body of {@code POST /api/jobs}. */
    @Schema(type = SchemaType.OBJECT, description = "A job: {\"type\", \"payload\"?, \"priority\"?, \"maxAttempts\"?, "
            + "\"replyTo\"?, \"queue\"?}")
    record One(JobRequestParser.Parsed parsed, String fingerprint) implements JobBody {
    }

    /** The body of {@code POST /api/jobs/batch}. */
    @Schema(type = SchemaType.OBJECT, description = "A batch: {\"jobs\": [job, …], \"queue\"?}")
    record Batch(JobRequestParser.Parsed parsed, String fingerprint) implements JobBody {
    }
}
