package io.livequeue.producer.limit;

/** A submit over its caller's rate: answered 429 with Retry-After and the RateLimit fields. */
public class RateLimitedException extends RuntimeException {

    private final SubmitRateLimiter.Decision decision;
    private final String policy;
    private final String field;

    public RateLimitedException(String message, SubmitRateLimiter.Decision decision, String policy, String field) {
        super(message, null, false, false);
        this.decision = decision;
        this.policy = policy;
        this.field = field;
    }

    public SubmitRateLimiter.Decision decision() {
        return decision;
    }

    public String policy() {
        return policy;
    }

    public String field() {
        return field;
    }
}
