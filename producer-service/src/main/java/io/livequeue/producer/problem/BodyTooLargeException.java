package io.livequeue.producer.problem;

/**
 * A request body over {@code livequeue.producer.max-body-bytes}, found while it was being read (a body sent without a
 * Content-Length, in chunks): answered with the same problem+json 413 as a body whose declared length is over the limit
 * (see {@link OversizeBodyHandler}), and the connection is closed rather than the rest of the body read.
 */
public class BodyTooLargeException extends RuntimeException {

    public BodyTooLargeException(long limit) {
        super(detail(null, limit));
    }

    /** The problem's detail; {@code declaredLength} is the Content-Length, or null for a body sent in chunks. */
    static String detail(String declaredLength, long limit) {
        return (declaredLength == null ? "the body is more than " + limit + " bytes, the limit"
                : "the body is " + declaredLength + " bytes, over the limit of " + limit)
                + ": send large batches in smaller parts";
    }
}
