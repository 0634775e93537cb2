package io.livequeue.producer.job;

/**
 * An Idempotency-Key that cannot be answered with its first request's jobs: sent again with a different body (422,
 * as draft-ietf-httpapi-idempotency-key-header asks), or, for a key stored before receipts existed, whose jobs are
 * gone ({@link JobsGone}, 409).
 */
public class IdempotencyKeyReusedException extends RuntimeException {

    public IdempotencyKeyReusedException() {
        super("this Idempotency-Key was used in the last 24 h for a different request; use a new key for a new "
                + "request", null, false, false);
    }

    protected IdempotencyKeyReusedException(String message) {
        super(message, null, false, false);
    }

    /** The first request's jobs are gone and its key (from before receipts) does not remember them. */
    public static class JobsGone extends IdempotencyKeyReusedException {

        public JobsGone() {
            super("the jobs created with this Idempotency-Key are gone (deleted or expired); use a new key to submit "
                    + "again");
        }
    }
}
