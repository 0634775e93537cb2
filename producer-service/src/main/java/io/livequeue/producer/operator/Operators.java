package io.livequeue.producer.operator;

import io.livequeue.producer.auth.Callers;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Singleton;

/**
 * Names the operator behind an operator action for its log line: {@code operator} for the shared token,
 * {@code key:<name>} or {@code jwt:<sub>} for a credential with the operator scope. Read it while the request is
 * being handled, before the first Redis step (the identity belongs to the request).
 */
@Singleton
public class Operators {

    private final SecurityIdentity identity;

    Operators(SecurityIdentity identity) {
        this.identity = identity;
    }

    public String current() {
        return Callers.owner(identity);
    }
}
